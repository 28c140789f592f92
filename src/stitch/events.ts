/**
 * The one event stream every decoding mode emits; the CLI, the chat view and the tests consume it.
 * The shapes that also travel (to the webview, into trace files) are declared here once as schemas:
 * their types are inferred from them, and the webview's and the trace's checks are these same objects.
 */
import type { DecodeErrorCode } from "../error-codes.ts";
import { currentModeName, MODES, ROUTINGS, type Mode } from "../modes.ts";
import { integer, number, object, oneOf, optional, refine, string, type Infer, type Schema } from "../schema.ts";

export const SOURCES = ["slm", "llm"] as const;
export type Source = (typeof SOURCES)[number];
/** The decoding modes and what each does: src/modes.ts. */
export type { Mode };
export const STOP_REASONS = ["eog", "stopTrigger", "budget", "abort"] as const;
export type StopReason = (typeof STOP_REASONS)[number];

export const sourceSchema = oneOf(SOURCES);
const currentMode = oneOf(MODES);
/** A mode of the table; a former name (an old trace, a saved view) reads as the mode that replaced it. */
export const modeSchema: Schema<Mode> = { check: (v, at) => currentMode.check(currentModeName(v), at) };
export const stopReasonSchema = oneOf(STOP_REASONS);
/** Normalised entropy H in [0, 1]. */
export const entropySchema = number(0, 1);

/** A hand-over between the models: the switch event, a turn's switch on the wire, a trace's switch. */
export const handOverSchema = refine(
    object({
        /** Output position at which `to` takes over. */
        index: integer(),
        from: sourceSchema,
        to: sourceSchema,
        /** The entropy that triggered it: the SLM's H above τ when the LLM takes over, the LLM's H at or below τ when it hands back. */
        entropy: entropySchema,
        /** Why the decoder switched (the rule, and the router's estimate where it was asked); absent in older traces. */
        reason: optional(string),
    }),
    (s, at) => (s.from === s.to ? `${at.name} hands over from ${s.from} to itself` : undefined),
);
export interface HandOver extends Infer<typeof handOverSchema> {}

export const modelStatsSchema = object({
    /** Tokens of the output written by this model. */
    tokens: integer(),
    /** Tokens fed to this model in batches (prompt and the other model's tokens). */
    prefillTokens: integer(),
    /** Wall time spent inside this model's evaluations, ms. */
    wallMs: number(0),
    /** Forward passes of this model (one per prediction, batched or not). */
    calls: integer(),
});
export interface ModelStats extends Infer<typeof modelStatsSchema> {}

/** A remote LLM's counters (llama-server): kept by the remote lane, reported in the stats. */
export const remoteCountersSchema = object({
    /** `/completion` requests (LLM turns, plus restarts after an unreported token). */
    requests: integer(),
    /** Sum over requests of the wait from sending it to its first token, ms (round trip + prefill). */
    firstTokenMs: number(0),
    /** Positions whose token the server did not report probabilities for. */
    unreported: integer(),
});
export interface RemoteCounters extends Infer<typeof remoteCountersSchema> {}

export const draftCountersSchema = object({
    proposed: integer(),
    accepted: integer(),
    /** The LLM's forward passes (for node-llama-cpp's predictor estimated as tokens − accepted drafts, as it does not count them). */
    llmPasses: optional(integer()),
});
export interface DraftCounters extends Infer<typeof draftCountersSchema> {}

export const CHAT_ROLES = ["user", "assistant"] as const;
/** One message of a conversation as the models are given it: a question, or an earlier answer. */
export const chatMessageSchema = object({
    role: oneOf(CHAT_ROLES),
    text: string,
});
export interface ChatMessage extends Infer<typeof chatMessageSchema> {}

/** What the answer's prompt held: the conversation's rendering, what each model read of it this turn, what was left out. */
export const promptStatsSchema = object({
    /** Tokens of the rendered conversation (the longer of the two models' renderings). */
    tokens: integer(),
    /** Of those, the tokens each model evaluated during this answer; the rest it still held from earlier turns (or, the LLM, had no turn to read). */
    prefill: object({ slm: integer(), llm: integer() }),
    /** Earlier turns (a question and its answer) left out, oldest first, so the conversation fits the context. */
    turnsLeftOut: integer(),
    /** The context the conversation had to fit, tokens (prompt and answer budget together). */
    contextSize: integer(),
});
export interface PromptStats extends Infer<typeof promptStatsSchema> {}

/** The calibration an answer was routed with (rstitch calibrate), and what its router did. */
export const calibrationStatsSchema = object({
    /** The calibration file's name. */
    file: string,
    /** What the calibration promises, e.g. "LLM agreement ≥ 99.0% of answers". */
    target: string,
    routing: oneOf(ROUTINGS),
    /** Router and budget: the router's cut; budget: the LLM share held. */
    cut: optional(number(0, 1)),
    llmShare: optional(number(0, 1)),
    /** Hand-over points where the router was asked, and those where it kept the SLM. */
    consulted: integer(),
    stayed: integer(),
});
export interface CalibrationStats extends Infer<typeof calibrationStatsSchema> {}

/** The statistics of one answer: in the done event, on the wire (turnDone, turns) and in trace files. */
export const stitchStatsSchema = object({
    mode: modeSchema,
    threshold: number(0, 1),
    slm: modelStatsSchema,
    llm: modelStatsSchema,
    totalTokens: integer(),
    switches: integer(),
    /** SLM tokens thrown away because the SLM was unsure (R-Stitch step 3). */
    discardedSlmTokens: integer(),
    /** LLM tokens / total tokens. */
    llmShare: number(0, 1),
    wallMs: number(0),
    tokensPerSecond: number(0),
    /** Remote LLM only (llama-server). */
    remote: optional(remoteCountersSchema),
    /** Speculative modes: draft tokens proposed and accepted. */
    draft: optional(draftCountersSchema),
    /** The conversation the answer was given (absent in stats written before conversations). */
    prompt: optional(promptStatsSchema),
    /** Present when a calibration routed the answer (--calibration, rstitch.routing). */
    calibration: optional(calibrationStatsSchema),
});
export interface StitchStats extends Infer<typeof stitchStatsSchema> {}

export interface TokenEvent {
    type: "token";
    /** Position in the generated output, from 0. */
    index: number;
    id: number;
    /** Text this token adds to the output (streaming detokenisation). */
    text: string;
    source: Source;
    /** Normalised next-token entropy H in [0, 1] of the model that wrote the token, at this position. */
    entropy: number;
}

export interface SwitchEvent extends HandOver {
    type: "switch";
}

export interface DoneEvent {
    type: "done";
    text: string;
    stopReason: StopReason;
    stats: StitchStats;
}

export interface ErrorEvent {
    type: "error";
    message: string;
    /** Set when the input, not the decoder, is at fault (ERROR_CODES.decode). */
    code?: DecodeErrorCode;
}

export type StitchEvent = TokenEvent | SwitchEvent | DoneEvent | ErrorEvent;
