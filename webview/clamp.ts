/**
 * Long host text (a notice, an error) is shown clipped: a message of 100,000 characters must not
 * fill the view or push the input off-screen. The whole text is in the log ("Show Log"). Pure.
 */
export interface Clamped {
    text: string;
    clipped: boolean;
}

export const NOTICE_MAX_CHARS = 600;
export const NOTICE_MAX_LINES = 8;

/** At most `maxChars` characters and `maxLines` lines, never splitting a surrogate pair. */
export function clampText(text: string, maxChars = NOTICE_MAX_CHARS, maxLines = NOTICE_MAX_LINES): Clamped {
    let end = Math.min(text.length, maxChars);
    let from = 0;
    for (let line = 1; line <= maxLines; line++) {
        const nl = text.indexOf("\n", from);
        if (nl < 0 || nl >= end) break;
        if (line === maxLines) end = nl;
        from = nl + 1;
    }
    if (end >= text.length) return { text, clipped: false };
    const code = text.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end--; // keep a pair whole
    return { text: `${text.slice(0, end).trimEnd()} …`, clipped: true };
}
