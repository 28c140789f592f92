/**
 * Where a streamed output's thinking and reply lie, as character ranges of the whole text, so each
 * is rendered once and the think tags never show. Two shapes, as in src/stitch/answer.ts: a
 * reasoning model's `<think>…</think>` (the reply follows the closing tag; some templates open the
 * tag in the prompt, so the closing one alone is enough) and the demo pair's final "Answer: …" line.
 * Pure.
 */
import type { SegmentTokens } from "./attribution.ts";

const OPEN = "<think>";
const CLOSE = "</think>";
const ANSWER_LINE = /^[ \t]*answer[ \t]*[:=]/im;

export interface Range {
    from: number;
    to: number;
}

export interface Split {
    thinking: Range;
    /** Undefined until the reply begins. */
    reply: Range | undefined;
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag` (a tag still arriving). */
function partialTag(text: string, tag: string): number {
    for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) if (text.endsWith(tag.slice(0, n))) return n;
    return 0;
}

/** `done`: the output is complete, so a tag half-written at its end is text after all. */
export function splitOutput(text: string, done: boolean): Split {
    const lead = text.length - text.trimStart().length;
    const opened = text.startsWith(OPEN, lead);
    const from = opened ? lead + OPEN.length : 0;
    const close = text.indexOf(CLOSE, from);
    if (close >= 0) return { thinking: { from, to: close }, reply: { from: close + CLOSE.length, to: text.length } };
    if (opened) {
        // Still thinking: hide a closing tag that is half there.
        return { thinking: { from, to: done ? text.length : Math.max(from, text.length - partialTag(text, CLOSE)) }, reply: undefined };
    }
    // "<thi" so far: an opening tag on its way, shown as nothing yet.
    if (!done && text.length > lead && OPEN.startsWith(text.slice(lead))) return { thinking: { from: 0, to: lead }, reply: undefined };
    const m = ANSWER_LINE.exec(text);
    if (m) return { thinking: { from: 0, to: m.index }, reply: { from: m.index, to: text.length } };
    return { thinking: { from: 0, to: done ? text.length : text.length - partialTag(text, CLOSE) }, reply: undefined };
}

/** The tokens of `range` (token k starts at `starts[k]` in the whole text). */
export function segmentTokens(starts: readonly number[], range: Range): SegmentTokens {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= range.from) lo = mid;
        else hi = mid - 1;
    }
    const s: number[] = [];
    const ids: number[] = [];
    for (let k = lo; k < starts.length && (starts[k] < range.to || k === lo); k++) {
        s.push(Math.max(0, starts[k] - range.from));
        ids.push(k);
    }
    return { starts: s, ids };
}
