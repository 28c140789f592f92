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
 *   its cut says how much mass it holds (headTailEntropy): the head is known, the tail is R ≤ 1 − q
 *   spread over an unknown number of tokens. A min-p cut μ after top-p bounds lists where top-p would
 *   run on; μ is small enough that the mass it can hide is as small as top-p's.
 *   Limits, measured with tools/entropy-fidelity.ts (issue 8):
 *   · Cost. Any reading that sees the whole vocabulary's mass pays llama.cpp's softmax over V plus a
 *     partial sort of the top 256 (the "floor": 0.9–2.9 ms CPU per token at V = 151,936 on a 2-core
 *     machine at load ~12). Where the top 256 entries hold less than q, top-p sorts the whole
 *     vocabulary; where the tail is flat the list reaching q is tens of thousands of entries, each a
 *     JS Map entry. So the tail reading costs about the floor on sharp distributions and about as much
 *     as the exact reading on flat long tails (73–86 ms per token on the long-tailed fixture, exact
 *     158–176 ms). No sampler option of 3.21.1 gives the tail mass cheaper: top-k and min-p lists are
 *     renormalised over themselves, and a larger μ hides tails of unknown mass.
 *   · Precision. llama.cpp sums the softmax in float32, so tokens below ~2^-24 of the sum are dropped
 *     from it (at most (V − n) · 2^-24 ≈ 0.9% of the mass at 151k): on a flat tail of such tokens
 *     top-p's cut sits that much early (measured: S = 0.9978 at a cut meant for q = 0.9999; the tool
 *     prints the largest such loss per model, 3.5e-3 on the long-tailed fixture), and the reading
 *     misses that tail. Routing then agrees with exact at 99–100% on the long-tailed fixture, not at
 *     every τ ≥ 99.5%. The exact reading is immune: it renormalises the returned list in JS doubles.
 *   The way out is node-llama-cpp 3.22's `totalLogitWeight` (the tail mass beside a top-N list; read
 *   from its typings only: whether it is summed in more than float32 is not checked) once its macOS and
 *   Windows binaries are served; until then `exact` (the list renormalised in JS doubles) is the only
 *   reading that is exact at 151k entries.
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
/**
 * The tail reading's min-p cut μ (relative to the most likely token): low enough that the mass it can
 * hide, (V − n) · μ · p_1 ≤ 1.5e-4 at V = 151,936, is as small as top-p's own 1e-4. A larger μ shortens
 * the lists of flat tails but hides a tail of unknown mass: the reading then counts the most it can be
 * (try tools/entropy-fidelity.ts --min-ratio 1e-5), and the power-law guess used before instead agreed
 * at only 96–98% on the long-tailed fixture.
 */
export const DEFAULT_MIN_RATIO = 1e-9;

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
 * min-p(μ) over the full vocabulary (most likely first, renormalised over the list; r_i below).
 *
 * Either cut may have ended the list; both leave an unlisted tail R = 1 − S of known size, S being the
 * list's full-vocabulary mass:
 *  - top-p: the cut was reached at the last entry, so q ≤ S < q / (1 − r_n): R ≤ 1 − q;
 *  - min-p: every unlisted token is below μ · p_1 = μ · r_1 · S, so R ≤ (V − n) · μ · r_1 · S, i.e.
 *    R ≤ c / (1 + c) with c = (V − n) · μ · r_1; and top-p's cut lay further on, so R > 1 − q.
 * The head is then known to that precision and only the tail's shape is unknown: R spread over between
 * R / p_last and V − n tokens (no unlisted token exceeds the last listed one), counted at the geometric
 * mean of the two. At q = 0.9999 and μ = 1e-9 the tail is at most ~1.5e-4 of the mass (plus what
 * llama.cpp's float32 sum dropped, see above) and adds at most ~0.003 nats (H ≈ 0.0003 normalised).
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

    let tail: number;
    if (minRatio > 0 && n > 1 && last < first * minRatio * MIN_P_CUT_MARGIN) {
        // Cut by min-p: the tail lies between 1 − q and the bound the cut itself sets.
        const c = (vocabularySize - n) * minRatio * first;
        const most = c / (1 + c);
        tail = most > 1 - headMass ? (1 - headMass + most) / 2 : most;
    } else {
        // Cut by top-p: q ≤ S < q / (1 − r_n).
        const upper = last >= 1 ? 1 : Math.min(1, headMass / (1 - last));
        tail = 1 - Math.min(1, (headMass + upper) / 2);
    }
    const s = 1 - tail;

    let h = 0;
    for (const raw of head) {
        const p = (raw / total) * s;
        if (p > 0) h -= p * Math.log(p);
    }
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

function clamp01(x: number): number {
    return Math.min(1, Math.max(0, x));
}
