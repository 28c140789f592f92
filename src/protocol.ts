/**
 * The one contract between the extension host and the chat webview. Both bundles import this file.
 * Each message is declared once, as a schema (src/schema.ts): its type is inferred from it, and the
 * view's check of host messages (webview/validate.ts) and the host's check of view messages are these
 * same declarations. The shapes the decoder and the trace share (switch, stats) come from
 * src/stitch/events.ts, the same objects the trace file is checked with.
 */
import {
    entropySchema, handOverSchema, modeSchema, sourceSchema, stitchStatsSchema, stopReasonSchema,
    type ChatMessage, type HandOver, type Mode, type Source, type StitchStats, type StopReason,
} from "./stitch/events.ts";
import { boolean, integer, list, nullable, number, object, oneOf, optional, string, tuple, variants, type Infer } from "./schema.ts";

export type { ChatMessage, Mode, Source, StitchStats, StopReason };

/**
 * One generated token as it travels and is stored: its text, the model that wrote it, its entropy H,
 * and, on the first token after a hand-over only, the entropy that caused that switch (the decoder's
 * `switch` event: the SLM's H above τ when the LLM takes over, the LLM's H at or below τ when it
 * hands back). The view shows it on every token of that span: it says why the span is that model's.
 * A token's own entropy is -1 where the mode does not measure it (speculative decoding reads only the
 * greedy token there), so it is any number; a hand-over's is always measured.
 */
export const tokenTupleSchema = tuple([["text", string], ["source", sourceSchema], ["entropy", number()]], ["handover entropy", entropySchema], "[text, source, entropy] or [text, source, entropy, handover]");
export type TokenTuple = Infer<typeof tokenTupleSchema>;

/** A hand-over between the models at output position `index` (as the decoder's switch event). */
export type TurnSwitch = HandOver;
const switchesSchema = list(handOverSchema);
const tokensSchema = list(tokenTupleSchema);

export const TURN_KINDS = ["solve", "explain"] as const;
export type TurnKind = (typeof TURN_KINDS)[number];
export const TURN_STATES = ["running", "done", "error"] as const;
/** Where a question was asked when not in the panel: "vscode-chat" is VS Code's own chat (or another extension) through `vscode.lm`. */
export const TURN_ORIGINS = ["vscode-chat"] as const;
export type TurnOrigin = (typeof TURN_ORIGINS)[number];
export type TurnState = (typeof TURN_STATES)[number];

/** One question and its streamed answer, as the view receives and keeps it. */
export const turnSchema = object({
    id: string,
    kind: oneOf(TURN_KINDS),
    /** What the user asked, as shown in the conversation. */
    prompt: string,
    /** A short heading shown instead of the prompt, e.g. "Explain selection · util.ts · 11 lines"; the prompt is one click away. */
    label: optional(string),
    mode: modeSchema,
    threshold: number(0, 1),
    /** "demo-slm + demo-llm": the pair that answered. */
    models: string,
    tokens: tokensSchema,
    state: oneOf(TURN_STATES),
    /** The final answer line, or null when the output has none. */
    answer: optional(nullable(string)),
    stopReason: optional(stopReasonSchema),
    stats: optional(stitchStatsSchema),
    error: optional(string),
    /** Every hand-over, in order (for the timeline and the trace). */
    switches: optional(switchesSchema),
    /** The token budget the answer ran with. */
    budget: optional(integer(1)),
    /** Set for a turn opened from a trace file (read-only): the file's name. */
    openedFrom: optional(string),
    /** Set for a question asked outside the panel (shown attributed; not part of the panel's conversation memory). */
    askedIn: optional(oneOf(TURN_ORIGINS)),
    /** Set when the embedded demo pair answered a question it was not trained for: shown under this answer. */
    demoNote: optional(string),
});
export interface Turn extends Infer<typeof turnSchema> {
    /** Host only (the view's check drops it): each token's vocabulary id, parallel to `tokens`, for Export Trace. */
    tokenIds?: number[];
    /** Host only: the conversation the models were given for this answer, ending with its question (for Export Trace). */
    messages?: ChatMessage[];
}

export const HOST_STATES = ["idle", "loading", "running"] as const;
export type HostState = (typeof HOST_STATES)[number];

export const hostStatusSchema = object({
    state: oneOf(HOST_STATES),
    /** Names of the current (or next) model pair. */
    models: string,
    /** Tokens per second of the last finished answer. */
    lastTokensPerSecond: optional(number(0)),
    /** Set when the LLM runs on a server (rstitch.LLMServerURL): its URL. */
    llmRemote: optional(string),
    /** What is wrong with the configured models before any load, e.g. "SLM file missing" (never "Ready" then). */
    problem: optional(string),
    /** The configured pair in a few words for the chat header's model picker: "demo pair", "Qwen3-0.6B + Qwen3-8B", "demo SLM + LLM on server". */
    pair: optional(string),
    /** The configured pair is the embedded demo pair (the notes under its answers then offer real models). */
    demo: optional(boolean),
});
export interface HostStatus extends Infer<typeof hostStatusSchema> {}

/** What the view's Undo bar can take back besides a Clear. */
export const UNDO_ACTIONS = ["resend"] as const;

export const hostToWebviewSchema = variants("type", {
    /** Full state: sent when the view (re)connects. */
    init: { turns: list(turnSchema), status: hostStatusSchema },
    status: { status: hostStatusSchema },
    turnStart: { turn: turnSchema },
    /** A batch of tokens appended to a running turn. */
    tokens: { turnId: string, tokens: tokensSchema, switches: optional(switchesSchema) },
    turnDone: { turnId: string, answer: nullable(string), stopReason: stopReasonSchema, stats: stitchStatsSchema, demoNote: optional(string) },
    turnError: { turnId: string, message: string },
    /** A request was refused or failed before it started: give the text back to the input. */
    restorePrompt: { text: string },
    /** A short message shown above the conversation until the next request. */
    notice: { level: oneOf(["info", "warning", "error"]), message: string },
    /** `undoable`: the view offers Undo for a few seconds (the host keeps the cleared turns). */
    cleared: { undoable: optional(boolean) },
    /** The problem behind the last notice is fixed (e.g. the settings now point at files that exist). */
    noticeCleared: {},
    /** Put the keyboard focus in the question box (R-Stitch: Focus Chat Input). */
    focusInput: {},
    /** Scroll to a turn and mark it (the link under an answer given in VS Code's chat). */
    revealTurn: { turnId: string },
    /** An edited question replaced later turns: the view offers Undo (the host keeps those turns). */
    undoOffer: { action: oneOf(UNDO_ACTIONS), message: string },
});
export type HostToWebview = Infer<typeof hostToWebviewSchema>;

export const COPY_PARTS = ["answer", "all"] as const;
export type CopyPart = (typeof COPY_PARTS)[number];

/** What a code block's buttons ask of the editor. */
export const CODE_ACTIONS = ["copy", "insert", "apply", "newFile"] as const;
export type CodeAction = (typeof CODE_ACTIONS)[number];

export const webviewToHostSchema = variants("type", {
    ready: {},
    send: { prompt: string },
    /** Stop pressed in the view: what it had shown of the running turn (the turn keeps exactly that). */
    stop: { turnId: optional(string), tokens: optional(integer(0)), switches: optional(integer(0)) },
    clear: {},
    /** Undo of the last Clear: the host restores the cleared turns. */
    undoClear: {},
    /** Saves the current chat and starts an empty one. */
    newChat: {},
    /** The list of saved chats (reopen, rename, delete). */
    showChats: {},
    /** Answer the last question again, in place of its answer. */
    regenerate: { turnId: string },
    /** An earlier question, edited: it and the turns after it are replaced by its new answer. */
    resend: { turnId: string, prompt: string },
    /** Undo of the last edit and resend: the replaced turns come back. */
    undoResend: {},
    copy: { turnId: string, part: oneOf(COPY_PARTS) },
    /** "Export Trace…" under a turn. */
    exportTrace: { turnId: string },
    /** The header's model picker, or "Choose Models…" under a demo note: the host's list of pairs. */
    chooseModels: {},
    /** "Download Recommended Models…" under a demo note. */
    downloadModels: {},
    /** "Show Log" under a clamped notice or error: the whole text is in the log. */
    showLog: {},
    /** The view dropped a malformed host message: the reason goes to the log. */
    viewProblem: { message: string },
    /** A link in an answer (http, https or mailto): the host opens it with vscode.env.openExternal. */
    openLink: { url: string },
    /** A code block's button: its code and language (a fence's info word, if any). */
    codeAction: { action: oneOf(CODE_ACTIONS), code: string, language: optional(string) },
});
export type WebviewToHost = Infer<typeof webviewToHostSchema>;

export const SOURCE_LABEL: Record<Source, string> = { slm: "SLM", llm: "LLM" };

/** Hover text of a token span, e.g. "LLM · H = 0.412". */
export function tokenTitle(source: Source, entropy: number): string {
    return `${SOURCE_LABEL[source]} · H = ${entropy.toFixed(3)}`;
}
