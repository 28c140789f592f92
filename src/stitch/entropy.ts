/**
 * Next-token entropy, normalised to [0, 1] by log V.
 *
 * `exact` reads the whole softmax (node-llama-cpp at temperature 0 returns every token's probability);
 * that is cheap for small vocabularies but costs ~100 ms per token at 151k entries. `topk` reads only
 * the k most likely tokens (node-llama-cpp's top-k at temperature 1, renormalised over those k) and
 * takes their entropy as the estimate; its agreement with `exact` is measured in the tests.
 */

export type EntropyMethod = "exact" | "topk";
export type EntropySetting = EntropyMethod | "auto";

/** Above this vocabulary size `auto` switches from exact to the top-k estimate. */
export const EXACT_ENTROPY_MAX_VOCAB = 8192;
export const DEFAULT_TOP_K = 40;

export function chooseEntropyMethod(vocabularySize: number, setting: EntropySetting = "auto"): EntropyMethod {
    if (setting !== "auto") return setting;
    return vocabularySize <= EXACT_ENTROPY_MAX_VOCAB ? "exact" : "topk";
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
    return Math.min(1, Math.max(0, hn / Math.log(vocabularySize)));
}
