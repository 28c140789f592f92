/**
 * Reading a trace token by token without a mouse: where the keyboard cursor goes on a key, which
 * hand-over a token's span began with, and the words of the hover and of the status line. Pure, so it
 * is unit-tested without a browser.
 */
import { SOURCE_LABEL, tokenTitle, type Source, type TokenTuple } from "../src/protocol.ts";
import { tokenOf } from "./token-number.ts";

/** The keys that move the cursor; anything else leaves it to the page. */
export const CURSOR_KEYS = ["ArrowLeft", "ArrowRight", "Home", "End"] as const;

/**
 * The cursor's next position among `count` tokens, or undefined when the key does not move it.
 * With no cursor yet, Right and Home start at the first token, Left and End at the last.
 */
export function moveCursor(pos: number | undefined, count: number, key: string): number | undefined {
    if (count <= 0 || !(CURSOR_KEYS as readonly string[]).includes(key)) return undefined;
    if (key === "Home") return 0;
    if (key === "End") return count - 1;
    if (pos === undefined || pos < 0 || pos >= count) return key === "ArrowRight" ? 0 : count - 1;
    return key === "ArrowRight" ? Math.min(pos + 1, count - 1) : Math.max(pos - 1, 0);
}

export interface Handover {
    /** The model that gave the pen away. */
    from: Source;
    /** The entropy that made it do so (the decoder's `switch` event). */
    entropy: number;
}

/** The hand-over that began the span of token `i` (its model's run of tokens), if the trace records one. */
export function spanHandover(tokens: readonly TokenTuple[], i: number): Handover | undefined {
    const source = tokens[i]?.[1];
    if (source === undefined) return undefined;
    let start = i;
    while (start > 0 && tokens[start - 1][1] === source) start--;
    const h = tokens[start][3];
    return h === undefined ? undefined : { from: source === "llm" ? "slm" : "llm", entropy: h };
}

/** "handed over at H = 0.210 > τ = 0.010": why the span is this model's. */
export function handoverText(h: Handover, threshold?: number): string {
    // SLM → LLM: the SLM was unsure (H above τ); LLM → SLM: the LLM was sure again (H at or below τ).
    const verb = h.from === "slm" ? "handed over" : "handed back";
    const tau = threshold === undefined ? "" : ` ${h.from === "slm" ? ">" : "≤"} τ = ${threshold.toFixed(3)}`;
    return `${verb} at H = ${h.entropy.toFixed(3)}${tau}`;
}

/** Hover text of a token: "LLM · H = 0.000 · the SLM handed over at H = 0.210 > τ = 0.010". */
export function tokenHover(source: Source, entropy: number, handover: Handover | undefined, threshold?: number): string {
    const base = tokenTitle(source, entropy);
    return handover ? `${base} · the ${SOURCE_LABEL[handover.from]} ${handoverText(handover, threshold)}` : base;
}

/** The status line under a trace: "token 37 of 120 · LLM · H = 0.412 · handed over at H = 0.210 > τ = 0.010". */
export function cursorStatus(tokens: readonly TokenTuple[], i: number, threshold?: number): string {
    const t = tokens[i];
    if (!t) return "";
    const h = spanHandover(tokens, i);
    const parts = [tokenOf(i, tokens.length), SOURCE_LABEL[t[1]], `H = ${t[2].toFixed(3)}`];
    if (h) parts.push(handoverText(h, threshold));
    return parts.join(" · ");
}
