/**
 * Picks the next token from a distribution. The decoder chooses tokens itself (rather than letting
 * node-llama-cpp sample) so that greedy stays greedy whatever is read for the entropy, and sampling
 * is reproducible from a seed.
 */

export type Distribution = ReadonlyMap<number, number>;

/** Greedy choice: the most probable token; ties go to the one listed first (node-llama-cpp sorts by logit). */
export function argmax(dist: Distribution): number {
    let best = -1;
    let bestP = -Infinity;
    for (const [token, p] of dist) {
        if (p > bestP) {
            best = token;
            bestP = p;
        }
    }
    return best;
}

/** xorshift-style PRNG in [0, 1), seeded. */
export function seededRandom(seed: number): () => number {
    let s = (seed >>> 0) || 0x9e3779b9;
    return () => {
        s ^= s << 13; s >>>= 0;
        s ^= s >>> 17;
        s ^= s << 5; s >>>= 0;
        return s / 4294967296;
    };
}

/** Samples p_i^(1/T) (renormalised); temperature 0 is greedy. */
export function pickToken(dist: Distribution, temperature: number, random: () => number): number {
    if (temperature <= 0) return argmax(dist);
    const tokens: number[] = [];
    const weights: number[] = [];
    let total = 0;
    for (const [token, p] of dist) {
        if (p <= 0) continue;
        const w = Math.pow(p, 1 / temperature);
        tokens.push(token);
        weights.push(w);
        total += w;
    }
    if (total <= 0 || !Number.isFinite(total)) return argmax(dist);
    let r = random() * total;
    for (let i = 0; i < tokens.length; i++) {
        r -= weights[i];
        if (r < 0) return tokens[i];
    }
    return tokens[tokens.length - 1];
}
