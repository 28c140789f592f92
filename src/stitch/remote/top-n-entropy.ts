/**
 * Normalised entropy from what a server reports: the exact probabilities of the N most likely tokens
 * (llama-server's pre-sampling `n_probs`: a float32 softmax over the WHOLE vocabulary, then the top N)
 * and therefore the exact tail mass m = 1 − Σ top-N. The tail's shape is unknown, so H is known only
 * within bounds:
 *  - upper: the tail spread evenly over the V − N other tokens (the most entropy m can carry);
 *  - lower: the tail packed into as few tokens as possible, none above the smallest listed p
 *    (the list is sorted, so no unlisted token can be more likely than the last listed one).
 * When N = V (small vocabularies) m is 0 up to rounding and the bounds meet: H is exact.
 */

export interface EntropyBounds {
    lower: number;
    upper: number;
    /** Probability not covered by the listed tokens (clamped at 0: float32 sums can pass 1). */
    tailMass: number;
}

/** Tail mass below this is float32 rounding of a complete list, not a real tail. */
const ROUNDING = 1e-6;

function plogp(p: number): number {
    return p > 0 ? -p * Math.log(p) : 0;
}

/** Bounds of H / log V from the listed probabilities (any order) over a vocabulary of V tokens. */
export function entropyBounds(listed: readonly number[], vocabularySize: number): EntropyBounds {
    if (vocabularySize <= 1) return { lower: 0, upper: 0, tailMass: 0 };
    let head = 0;
    let total = 0;
    let smallest = Infinity;
    for (const p of listed) {
        head += plogp(p);
        total += p;
        if (p > 0) smallest = Math.min(smallest, p);
    }
    const logV = Math.log(vocabularySize);
    const unlisted = vocabularySize - listed.length;
    const rawTail = 1 - total;
    if (unlisted <= 0 || rawTail <= ROUNDING || !Number.isFinite(smallest)) {
        // A complete list (or no room for a tail): renormalise away the float32 rounding, as the exact path does.
        const h = total > 0 ? head / total + Math.log(total) : logV;
        const n = clamp(h / logV);
        return { lower: n, upper: n, tailMass: Math.max(0, rawTail) };
    }
    const m = rawTail;
    const upper = head + m * Math.log(unlisted / m);
    // Fewest tokens: k at the cap `smallest`, the remainder r in one more.
    const cap = Math.min(smallest, m);
    const k = Math.floor(m / cap);
    const r = m - k * cap;
    const lower = head + k * plogp(cap) + plogp(r);
    return { lower: clamp(lower / logV), upper: clamp(upper / logV), tailMass: m };
}

function clamp(x: number): number {
    return Math.min(1, Math.max(0, x));
}
