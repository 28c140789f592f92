/** Builds the text sent to the models for each kind of request. Pure; no `vscode` import. */

/** Longer selections are cut here: the prompt and the token budget must fit the context. */
export const MAX_SELECTION_CHARS = 12_000;

export interface SelectionInfo {
    text: string;
    /** VS Code language id, e.g. "typescript". */
    languageId: string;
    /** Base name of the file, e.g. "util.ts" (or "Untitled-1"). */
    fileName: string;
    /** 1-based first line of the selection. */
    startLine?: number;
}

export interface BuiltPrompt {
    prompt: string;
    /** Short heading for the conversation. */
    label: string;
    truncated: boolean;
}

/** A fence longer than any backtick run inside the text, so the selection cannot close it. */
function fenceFor(text: string): string {
    let longest = 0;
    for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
    return "`".repeat(Math.max(3, longest + 1));
}

export function buildExplainPrompt(sel: SelectionInfo): BuiltPrompt {
    const truncated = sel.text.length > MAX_SELECTION_CHARS;
    const text = truncated ? sel.text.slice(0, MAX_SELECTION_CHARS) : sel.text;
    const fence = fenceFor(text);
    const where = sel.startLine !== undefined ? ` (from line ${sel.startLine})` : "";
    const prompt =
        `Explain the following ${sel.languageId} code from ${sel.fileName}${where}. ` +
        `Reason step by step, then give a short summary on a final line starting with "Answer:".\n\n` +
        `${fence}${sel.languageId}\n${text}\n${fence}` +
        (truncated ? `\n\n(The selection was cut to its first ${MAX_SELECTION_CHARS} characters.)` : "");
    return { prompt, label: explainLabel(sel), truncated };
}

/** The heading of an Explain turn, e.g. "Explain selection · util.ts · 11 lines" (the prompt itself is one click away). */
export function explainLabel(sel: SelectionInfo): string {
    const lines = selectionLines(sel.text);
    return `Explain selection · ${sel.fileName} · ${lines} line${lines === 1 ? "" : "s"}`;
}

/** Lines a selection covers; a final line break (a whole-line selection) starts no new line. */
export function selectionLines(text: string): number {
    return text.replace(/\r?\n$/, "").split(/\r?\n/).length;
}

/** A problem typed by the user or taken from a selection: sent as is, trimmed. */
export function buildSolvePrompt(problem: string): BuiltPrompt {
    const trimmed = problem.trim();
    const truncated = trimmed.length > MAX_SELECTION_CHARS;
    return { prompt: truncated ? trimmed.slice(0, MAX_SELECTION_CHARS) : trimmed, label: "Solve", truncated };
}
