/**
 * Reading a solution: its chain of thought, its reply, and the final answer in it.
 *
 * Reasoning models (DeepSeek-R1, Qwen3, QwQ) write `<think>…</think>` and then a reply that states
 * the result in one of a few conventions; the demo pair writes working lines and `Answer: N`.
 */

export interface SplitAnswer {
    thinking: string;
    /** The reply after `</think>`; without think tags, the value of the last "Answer:" line; null when none. */
    answer: string | null;
}

const THINK_OPEN = "<think>";
const THINK_CLOSE = "</think>";
const ANSWER_LINE = /^\s*answer\s*[:=]\s*(.+?)\s*$/im;

export function splitAnswer(text: string): SplitAnswer {
    const close = text.lastIndexOf(THINK_CLOSE);
    if (close >= 0) {
        const answer = text.slice(close + THINK_CLOSE.length).trim();
        return { thinking: withoutOpenTag(text.slice(0, close)).trim(), answer: answer || null };
    }
    // Opened and never closed: the budget ran out while thinking, there is no reply yet.
    if (text.trimStart().startsWith(THINK_OPEN)) return { thinking: withoutOpenTag(text).trim(), answer: null };
    const lines = text.split(/\r?\n/);
    for (let i = lines.length - 1; i >= 0; i--) {
        const m = ANSWER_LINE.exec(lines[i]);
        if (m) return { thinking: lines.slice(0, i).join("\n").trimEnd(), answer: m[1] };
    }
    return { thinking: text, answer: null };
}

/**
 * What of an answer stays in the conversation for the next question: reasoning models' templates
 * (Qwen3, DeepSeek-R1, QwQ) keep an earlier assistant turn's reply after its last `</think>` and drop
 * the thinking, so this does the same for every template; an answer without `</think>` stays whole.
 */
export function replyOf(text: string): string {
    const close = text.lastIndexOf(THINK_CLOSE);
    return close >= 0 ? text.slice(close + THINK_CLOSE.length).replace(/^\n+/, "") : text;
}

function withoutOpenTag(text: string): string {
    return text.replace(/^\s*<think>/, "");
}

/** Which convention gave the final answer. */
export type AnswerRule = "boxed" | "marker" | "last-number";

export interface FinalAnswer {
    /** The answer as written (the inside of \boxed{…}, the rest of the marker's line, or the number). */
    value: string;
    rule: AnswerRule;
    /** "reply": found after </think> (or in a text without think tags); "whole": found only by searching the thinking too. */
    from: "reply" | "whole";
}

/**
 * The final answer of a solution, for scoring.
 *
 * Searched first in the reply (the text after the last `</think>`, or the whole text when there are
 * no think tags), by these conventions in order:
 * 1. the last `\boxed{…}` (or `\fbox{…}`), nested braces allowed;
 * 2. the last answer marker: `**Answer:** X`, `Answer: X`, `Final answer: X`, `The (final) answer is X`,
 *    `#### X` — X is the rest of that line;
 * 3. fallback: the last number in the reply.
 * When the reply has none of these (no reply at all, as in a transcript cut off inside `<think>`,
 * or a reply without a number), the same three are tried on the whole text, thinking included.
 * Null when even that finds nothing.
 */
export function finalAnswer(text: string): FinalAnswer | null {
    const close = text.lastIndexOf(THINK_CLOSE);
    const opened = text.trimStart().startsWith(THINK_OPEN);
    const reply = close >= 0 ? text.slice(close + THINK_CLOSE.length) : opened ? "" : text;
    const inReply = findAnswer(reply);
    if (inReply) return { ...inReply, from: "reply" };
    if (reply === text) return null;
    const inWhole = findAnswer(text);
    return inWhole ? { ...inWhole, from: "whole" } : null;
}

function findAnswer(text: string): Omit<FinalAnswer, "from"> | null {
    const boxed = lastBoxed(text);
    if (boxed !== null) return { value: boxed.trim(), rule: "boxed" };
    const marker = lastMarker(text);
    if (marker !== null) return { value: marker, rule: "marker" };
    const number = lastNumber(text);
    if (number !== null) return { value: number, rule: "last-number" };
    return null;
}

/** Contents of the last \boxed{…} / \fbox{…}, matching nested braces; an unclosed one is ignored. */
function lastBoxed(text: string): string | null {
    const opener = /\\(?:boxed|fbox)\s*\{/g;
    let found: string | null = null;
    for (let m = opener.exec(text); m; m = opener.exec(text)) {
        let depth = 1;
        let i = m.index + m[0].length;
        for (; i < text.length && depth > 0; i++) {
            if (text[i] === "{") depth++;
            else if (text[i] === "}") depth--;
        }
        if (depth === 0) found = text.slice(m.index + m[0].length, i - 1);
    }
    return found;
}

const MARKERS = [
    /\*\*\s*(?:final\s+)?answer\s*:?\s*\*\*\s*:?[ \t]*([^\n]*)/gi,
    /\b(?:final\s+)?answer\s*[:=][ \t]*([^\n]*)/gi,
    /\bthe\s+(?:final\s+)?answer\s+is\s*:?[ \t]*([^\n]*)/gi,
    /^[ \t]*####[ \t]*([^\n]*)/gim,
];

/** The value after the marker that appears last in the text (non-empty values only). */
function lastMarker(text: string): string | null {
    let best: { at: number; value: string } | null = null;
    for (const re of MARKERS) {
        for (const m of text.matchAll(re)) {
            const value = m[1].replace(/\*\*/g, "").trim();
            if (value && (!best || m.index! >= best.at)) best = { at: m.index!, value };
        }
    }
    return best?.value ?? null;
}

// A minus counts as a sign only where it does not follow a word or a closing bracket ("5-3" is 5 and 3).
const NUMBER = /(?:(?<![\w)\]])[-−])?\d(?:[\d,]*\d)?(?:\.\d+)?(?:\/\d+)?/g;

function lastNumber(text: string): string | null {
    const all = text.match(NUMBER);
    return all ? all[all.length - 1] : null;
}

/**
 * An answer reduced for comparison: TeX wrappers (`$…$`, `\(…\)`, `\text{…}`, `\mathrm{…}`, `\left`,
 * `\right`, `\!`, `\,`), `\frac{a}{b}` → a/b, markdown bold, spaces, thousands separators, a
 * trailing period and a Unicode minus are removed or unified; letters are lower-cased.
 */
export function normaliseAnswer(answer: string): string {
    let s = answer.trim();
    s = s.replace(/\\(?:text|textbf|mathrm|mathbf|operatorname)\s*\{([^{}]*)\}/g, "$1");
    s = s.replace(/\\d?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, "$1/$2");
    s = s.replace(/\\left|\\right|\\[!,;:]|\\displaystyle/g, "");
    s = s.replace(/\\\(|\\\)|\\\[|\\\]|\$/g, "");
    s = s.replace(/\*\*/g, "").replace(/−/g, "-");
    s = s.replace(/(\d),(?=\d{3}(?!\d))/g, "$1");
    s = s.replace(/\s+/g, "");
    s = s.replace(/\.+$/, "");
    return s.toLowerCase();
}

/** The number an answer starts with ("1692 apples", "$1,692$", "1/2", "-3.50"), or null. */
function leadingNumber(normalised: string): number | null {
    const m = /^[-+]?\d+(?:\.\d+)?(?:\/\d+)?/.exec(normalised);
    if (!m) return null;
    const [num, den] = m[0].split("/");
    const value = den === undefined ? Number(num) : Number(num) / Number(den);
    return Number.isFinite(value) ? value : null;
}

/**
 * Does an extracted answer match the expected one? Equal after normalisation, or — when the
 * expected answer is a number — the extracted answer starts with the same number ("1692 apples",
 * "1692.0", "\frac{1}{2}" for 0.5).
 */
export function answersMatch(extracted: string, expected: string): boolean {
    const a = normaliseAnswer(extracted);
    const b = normaliseAnswer(expected);
    if (a === b) return true;
    const expectedNumber = /^[-+]?\d+(?:\.\d+)?(?:\/\d+)?$/.test(b) ? leadingNumber(b) : null;
    if (expectedNumber === null) return false;
    const got = leadingNumber(a);
    return got !== null && Math.abs(got - expectedNumber) <= 1e-9 * Math.max(1, Math.abs(expectedNumber));
}
