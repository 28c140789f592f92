/**
 * The one contract between the extension host and the chat webview. Both bundles import this file;
 * it holds types only (plus two tiny helpers), so it adds nothing to either bundle's runtime.
 */
import type { Mode, Source, StitchStats, StopReason } from "./stitch/events.ts";

export type { Mode, Source, StitchStats, StopReason };

/**
 * One generated token as it travels and is stored: its text, the model that wrote it, its entropy H,
 * and, on the first token after a hand-over only, the entropy that caused that switch (the decoder's
 * `switch` event: the SLM's H above τ when the LLM takes over, the LLM's H at or below τ when it
 * hands back). The view shows it on every token of that span: it says why the span is that model's.
 */
export type TokenTuple = [text: string, source: Source, entropy: number, handover?: number];

/** A hand-over between the models at output position `index` (as the decoder's switch event). */
export interface TurnSwitch {
    index: number;
    from: Source;
    to: Source;
    /** The entropy that triggered it. */
    entropy: number;
}

export type TurnKind = "solve" | "explain";
export type TurnState = "running" | "done" | "error";

/** One question and its streamed answer. */
export interface Turn {
    id: string;
    kind: TurnKind;
    /** What the user asked, as shown in the conversation. */
    prompt: string;
    /** A short heading shown instead of the prompt, e.g. "Explain selection · util.ts · 11 lines"; the prompt is one click away. */
    label?: string;
    mode: Mode;
    threshold: number;
    /** "demo-slm + demo-llm": the pair that answered. */
    models: string;
    tokens: TokenTuple[];
    state: TurnState;
    /** The final answer line, or null when the output has none. */
    answer?: string | null;
    stopReason?: StopReason;
    stats?: StitchStats;
    error?: string;
    /** Host only (not sent to the view's checks): each token's vocabulary id, parallel to `tokens`, for Export Trace. */
    tokenIds?: number[];
    /** Every hand-over, in order (for the timeline and the trace). */
    switches?: TurnSwitch[];
    /** The token budget the answer ran with. */
    budget?: number;
    /** Set for a turn opened from a trace file (read-only): the file's name. */
    openedFrom?: string;
}

export type HostState = "idle" | "loading" | "running";

export interface HostStatus {
    state: HostState;
    /** Names of the current (or next) model pair. */
    models: string;
    /** Tokens per second of the last finished answer. */
    lastTokensPerSecond?: number;
    /** Set when the LLM runs on a server (rstitch.LLMServerURL): its URL. */
    llmRemote?: string;
    /** What is wrong with the configured models before any load, e.g. "SLM file missing" (never "Ready" then). */
    problem?: string;
}

export type HostToWebview =
    /** Full state: sent when the view (re)connects. */
    | { type: "init"; turns: Turn[]; status: HostStatus }
    | { type: "status"; status: HostStatus }
    | { type: "turnStart"; turn: Turn }
    /** A batch of tokens appended to a running turn. */
    | { type: "tokens"; turnId: string; tokens: TokenTuple[]; switches?: TurnSwitch[] }
    | { type: "turnDone"; turnId: string; answer: string | null; stopReason: StopReason; stats: StitchStats }
    | { type: "turnError"; turnId: string; message: string }
    /** A request was refused or failed before it started: give the text back to the input. */
    | { type: "restorePrompt"; text: string }
    /** A short message shown above the conversation until the next request. */
    | { type: "notice"; level: "info" | "warning" | "error"; message: string }
    /** `undoable`: the view offers Undo for a few seconds (the host keeps the cleared turns). */
    | { type: "cleared"; undoable?: boolean }
    /** The problem behind the last notice is fixed (e.g. the settings now point at files that exist). */
    | { type: "noticeCleared" }
    /** Put the keyboard focus in the question box (R-Stitch: Focus Chat Input). */
    | { type: "focusInput" };

export type CopyPart = "answer" | "all";

/** What a code block's buttons ask of the editor. */
export type CodeAction = "copy" | "insert" | "apply" | "newFile";
export const CODE_ACTIONS: readonly CodeAction[] = ["copy", "insert", "apply", "newFile"];

export type WebviewToHost =
    | { type: "ready" }
    | { type: "send"; prompt: string }
    | { type: "stop" }
    | { type: "clear" }
    /** Undo of the last Clear: the host restores the cleared turns. */
    | { type: "undoClear" }
    | { type: "copy"; turnId: string; part: CopyPart }
    /** "Export Trace…" under a turn. */
    | { type: "exportTrace"; turnId: string }
    | { type: "chooseModels" }
    /** "Show Log" under a clamped notice or error: the whole text is in the log. */
    | { type: "showLog" }
    /** The view dropped a malformed host message: the reason goes to the log. */
    | { type: "viewProblem"; message: string }
    /** A link in an answer (http, https or mailto): the host opens it with vscode.env.openExternal. */
    | { type: "openLink"; url: string }
    /** A code block's button: its code and language (a fence's info word, if any). */
    | { type: "codeAction"; action: CodeAction; code: string; language?: string };

export const SOURCE_LABEL: Record<Source, string> = { slm: "SLM", llm: "LLM" };

/** Hover text of a token span, e.g. "LLM · H = 0.412". */
export function tokenTitle(source: Source, entropy: number): string {
    return `${SOURCE_LABEL[source]} · H = ${entropy.toFixed(3)}`;
}
