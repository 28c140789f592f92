/**
 * Quotes a piece of untrusted text (a token, a key, a file's first bytes, a log line) for a message:
 * short, with control, bidirectional and invisible characters escaped so the message reads as written.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb"\\]/g;

/** At most `max` characters of `text`, escaped, with "…" where it was cut. */
export function escapeShort(text: string, max: number): string {
    const chars = [...text];
    const head = chars.slice(0, max).join("");
    const escaped = head.replace(UNSAFE, (c) => (c === '"' || c === "\\" ? "\\" + c : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
    return chars.length > max ? escaped + "…" : escaped;
}

export function quoteShort(text: string, max = 32): string {
    const n = [...text].length;
    return `"${escapeShort(text, max)}"${n > max ? ` (${n} characters)` : ""}`;
}
