/**
 * The chat view's requests that reach outside it (a link to open, code to put into the editor),
 * checked before the host acts: the page renders model output, so what it asks for is treated as
 * untrusted too. Pure, so the checks are unit-tested.
 */
import { openableUrl } from "../link-policy.ts";
import { CODE_ACTIONS, type CodeAction } from "../protocol.ts";

/** More code than any answer holds: refuse rather than paste megabytes into an editor. */
export const MAX_CODE = 1_000_000;

/** The URL to open externally, or undefined: the view's link rule (src/link-policy.ts), checked again here. */
export function linkToOpen(msg: { url?: unknown }): string | undefined {
    return typeof msg.url === "string" ? openableUrl(msg.url) : undefined;
}

export interface CodeRequest {
    action: CodeAction;
    code: string;
    /** A language id for the editor (a fence's info word, lower case), if one was given. */
    language: string | undefined;
}

/** The code request, or undefined when any field is not what the view sends. */
export function codeRequest(msg: { action?: unknown; code?: unknown; language?: unknown }): CodeRequest | undefined {
    if (typeof msg.action !== "string" || !(CODE_ACTIONS as readonly string[]).includes(msg.action)) return undefined;
    if (typeof msg.code !== "string" || msg.code.length > MAX_CODE) return undefined;
    if (msg.language !== undefined && (typeof msg.language !== "string" || !/^[\w+#.-]{1,32}$/.test(msg.language))) return undefined;
    return { action: msg.action as CodeAction, code: msg.code, language: languageId(msg.language) };
}

/** A fence's word as a VS Code language id ("py" → "python"). */
function languageId(word: string | undefined): string | undefined {
    if (!word) return undefined;
    const w = word.toLowerCase();
    return LANGUAGE_IDS[w] ?? w;
}

const LANGUAGE_IDS: Record<string, string> = {
    js: "javascript", jsx: "javascriptreact", ts: "typescript", tsx: "typescriptreact", py: "python", sh: "shellscript", bash: "shellscript",
    shell: "shellscript", zsh: "shellscript", "c++": "cpp", cs: "csharp", "c#": "csharp", rs: "rust", golang: "go", yml: "yaml", md: "markdown",
    html: "html", xml: "xml", rb: "ruby", kt: "kotlin",
};
