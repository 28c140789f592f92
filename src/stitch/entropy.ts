/**
 * Next-token entropy, normalised to [0, 1] by log V (V = the model's own vocabulary size).
 *
 * Three readings of node-llama-cpp 3.21.1 (its native sampler, llama/addon/AddonContext.cpp and
 * llama.cpp's samplers, was read to learn what each returns and costs):
 *
 * - `exact`: temperature 0 with `probabilities` returns the softmax of every token. Cheap for small
 *   vocabularies; ~100 ms per token at 151k entries (one JS number pair per token).
 * - `tail` (the default above EXACT_ENTROPY_MAX_VOCAB): a top-p "mass probe". With topK switched off,
 *   llama.cpp's top-p sampler takes the softmax over the WHOLE vocabulary and keeps the shortest list
 *   of most likely tokens whose full-vocabulary mass reaches q. The list comes back renormalised, but
 *   its cut says how much mass it holds: S ∈ [q, q / (1 − r_last)), r_last being the last entry's
 *   share. So the head's probabilities are known to that precision, the tail mass is R = 1 − S ≤ 1 − q,
 *   and only the tail's shape is unknown: it holds R spread over between R / p_last and V − n tokens
 *   (each tail token is at most p_last), and is counted at the geometric mean of those two. At
 *   q = 0.9999 the tail can add at most 1e-4 · ln(V / 1e-4) ≈ 0.0021 nats (H ≈ 0.0002 normalised), so
 *   a routing decision can only differ from exact where H lies that close to τ. A min-p cut (μ) after
 *   top-p keeps near-flat distributions' lists short; where it ended the list the tail is extrapolated
 *   (headTailEntropy). Cost: one softmax over V plus a partial sort of 256 entries in native code, and
 *   a list of n entries in JS; where the top 256 entries hold less than q, llama.cpp's top-p sorts the
 *   whole vocabulary (milliseconds at 151k) — see tools/entropy-fidelity.ts for measured figures.
 * - `topk`: the k most likely tokens renormalised over themselves (the old estimate). Drops the tail
 *   mass, so it reads heavy-tailed distributions far too low; kept selectable for comparison.
 *
 * Not used, and why: `confidence` is the chosen token's probability over the list left after the
 * sampler chain (full vocabulary only at temperature 0, where the addon then sorts all 151k entries:
 * ~20 ms); 3.22's exact tail mass (`totalLogitWeight`) has no macOS/Windows prebuilt binaries.
 */

export type EntropyMethod = "exact" | "tail" | "topk";
export type EntropySetting = EntropyMethod | "auto";

/** Above this vocabulary size `auto` switches from exact to the tail reading. */
export const EXACT_ENTROPY_MAX_VOCAB = 8192;
export const DEFAULT_TOP_K = 40;
/** The mass the tail reading's top-p probe must cover (see above). */
export const DEFAULT_HEAD_MASS = 0.9999;
/** The tail reading's min-p cut μ (relative to the most likely token). */
export const DEFAULT_MIN_RATIO = 1e-5;

export function chooseEntropyMethod(vocabularySize: number, setting: EntropySetting = "auto"): EntropyMethod {
    if (setting !== "auto") return setting;
    return vocabularySize <= EXACT_ENTROPY_MAX_VOCAB ? "exact" : "tail";
}

/** H(p) / log V over the given probabilities (a full distribution, or a renormalised top-k list). */
export function normalisedEntropy(probabilities: Iterable<number>, vocabularySize: number): number {
    if (vocabularySize <= 1) return 0;
    let h = 0;
    let total = 0;
    for (const p of probabilities) {
        total += p;
        if (p > 0) h -= p * Math.log(p);
    }
    if (total <= 0) return 1;
    // Renormalise in case the list does not sum to exactly 1 (float32 rounding).
    const hn = h / total + Math.log(total);
    return clamp01(hn / Math.log(vocabularySize));
}

/**
 * The tail reading: normalised entropy from the list node-llama-cpp returns for top-p(q) followed by
 * min-p(μ) over the full vocabulary (most likely first, renormalised over the list).
 *
 * Either cut may have ended the list. top-p: the list holds S ∈ [q, q / (1 − r_last)) of the mass and
 * the tail R = 1 − S ≤ 1 − q is counted as spread over the geometric mean of the fewest (R / p_last)
 * and the most (V − n) tokens it can occupy. min-p (the last entry sits just above μ times the first,
 * the cut that keeps a flat distribution's list short): the tail is every token below μ · p_1 and its
 * mass is unknown, so it is extrapolated by the power law the list's second half follows, up to V.
 */
export function headTailEntropy(head: readonly number[], headMass: number, vocabularySize: number, minRatio = 0): number {
    if (vocabularySize <= 1) return 0;
    const n = head.length;
    let total = 0;
    for (const p of head) total += p;
    if (n === 0 || total <= 0) return 1;
    if (n >= vocabularySize) return normalisedEntropy(head, vocabularySize);
    const first = head[0] / total;
    const last = head[n - 1] / total;
    if (minRatio > 0 && n > 1 && last < first * minRatio * MIN_P_CUT_MARGIN) {
        return powerLawTailEntropy(head, total, vocabularySize);
    }

    // The list's full-vocabulary mass S: the cut was reached at the last entry, so q ≤ S < q + p_last.
    const upper = last >= 1 ? 1 : Math.min(1, headMass / (1 - last));
    const s = Math.min(1, (headMass + upper) / 2);

    let h = 0;
    for (const raw of head) {
        const p = (raw / total) * s;
        if (p > 0) h -= p * Math.log(p);
    }
    const tail = 1 - s;
    if (tail > 0) {
        const fewest = Math.max(1, tail / (last * s));
        const most = Math.max(fewest, vocabularySize - n);
        const count = Math.sqrt(fewest * most);
        h += tail * Math.log(count / tail);
    }
    return clamp01(h / Math.log(vocabularySize));
}

/** A list whose last entry is within this factor of μ · p_1 is taken as cut by min-p. */
const MIN_P_CUT_MARGIN = 1.25;

/** Entropy of the list followed by p_i = p_n (i / n)^(−s) for ranks n < i ≤ V, s fitted on the list's second half. */
function powerLawTailEntropy(head: readonly number[], total: number, vocabularySize: number): number {
    const n = head.length;
    const a = Math.max(1, Math.floor(n / 2));
    const pa = head[a - 1] / total;
    const pn = head[n - 1] / total;
    const slope = a < n && pa > pn ? Math.log(pa / pn) / Math.log(n / a) : 0;
    // Tail weights relative to the list (which sums to 1), on geometric bins of ranks.
    let weight = 0;
    let plogp = 0;
    for (let lo = n + 1; lo <= vocabularySize;) {
        const hi = Math.min(vocabularySize, Math.max(lo, Math.floor(lo * 1.02)));
        const mid = (lo + hi) / 2;
        const p = pn * Math.pow(mid / n, -slope);
        const count = hi - lo + 1;
        weight += count * p;
        plogp += count * p * Math.log(p);
        lo = hi + 1;
    }
    let headPlogp = 0;
    for (const raw of head) {
        const p = raw / total;
        if (p > 0) headPlogp += p * Math.log(p);
    }
    // Renormalise list + tail to 1: H = ln Z − Σ w ln w / Z with Z = 1 + weight.
    const z = 1 + weight;
    const h = Math.log(z) - (headPlogp + plogp) / z;
    return clamp01(h / Math.log(vocabularySize));
}

function clamp01(x: number): number {
    return Math.min(1, Math.max(0, x));
}
