/**
 * Which token wrote each character of rendered text. The parser gives every node a source range;
 * a node's text (with escapes and entities decoded, fences and markers gone) is aligned back onto
 * that range character by character, and each source offset falls in exactly one token. Pure.
 */

/** Where each token starts in a segment's text (ascending), and its index in the whole output. */
export interface SegmentTokens {
    /** Start offset of token k within the segment (the first may be 0 for a token cut by the segment start). */
    readonly starts: readonly number[];
    /** Output index of token k. */
    readonly ids: readonly number[];
}

/** The output index of the token that wrote source offset `offset` of the segment. */
export function tokenAt(t: SegmentTokens, offset: number): number {
    let lo = 0;
    let hi = t.starts.length - 1;
    if (hi < 0) return -1;
    while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (t.starts[mid] <= offset) lo = mid;
        else hi = mid - 1;
    }
    return t.ids[lo];
}

/** The distinct tokens that wrote any of source [from, to), in order. */
export function tokensIn(t: SegmentTokens, from: number, to: number): number[] {
    const out: number[] = [];
    if (to <= from) return out;
    let k = t.starts.length - 1;
    while (k > 0 && t.starts[k] > from) k--;
    for (; k < t.starts.length && t.starts[k] < to; k++) out.push(t.ids[k]);
    return out;
}

/** How far ahead a decoded character is looked for (the longest entity reference is about 32 long). */
const WINDOW = 40;

/**
 * The source offset of each character of `value`, a node's text, within `src[from, to)`: each
 * character is matched to the next equal source character, so escapes (`\*`), markers and fences are
 * skipped; a character the source does not hold near by (a decoded `&amp;`) keeps the current offset.
 */
export function alignToSource(value: string, src: string, from: number, to: number): Int32Array {
    const out = new Int32Array(value.length);
    let j = from;
    for (let i = 0; i < value.length; i++) {
        const c = value.charCodeAt(i);
        const limit = Math.min(to, j + WINDOW);
        let k = j;
        while (k < limit && src.charCodeAt(k) !== c) k++;
        if (k < limit) {
            out[i] = k;
            j = k + 1;
        } else {
            out[i] = Math.min(j, Math.max(from, to - 1));
        }
    }
    return out;
}

export interface Run {
    text: string;
    /** Output index of the token that wrote it. */
    token: number;
    /** Offset of the run within the value it came from. */
    start: number;
}

/** `value[start, end)` cut into runs of one token each. */
export function attributedRuns(value: string, offsets: Int32Array, t: SegmentTokens, start = 0, end = value.length): Run[] {
    const runs: Run[] = [];
    let runStart = start;
    let token = -2;
    for (let i = start; i < end; i++) {
        const k = tokenAt(t, offsets[i]);
        if (k !== token) {
            if (i > runStart) runs.push({ text: value.slice(runStart, i), token, start: runStart });
            runStart = i;
            token = k;
        }
    }
    if (end > runStart) runs.push({ text: value.slice(runStart, end), token, start: runStart });
    return runs;
}
