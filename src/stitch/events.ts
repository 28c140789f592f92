/** The one event stream every decoding mode emits; the CLI, the chat view and the tests consume it. */
import type { Mode } from "../modes.ts";

/** The decoding modes and what each does: src/modes.ts. */
export type { Mode };
export type Source = "slm" | "llm";
export type StopReason = "eog" | "stopTrigger" | "budget" | "abort";

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

export interface SwitchEvent {
    type: "switch";
    /** Output position at which the new model takes over. */
    index: number;
    from: Source;
    to: Source;
    /** The entropy that triggered the switch. */
    entropy: number;
}

export interface ModelStats {
    /** Tokens of the output written by this model. */
    tokens: number;
    /** Tokens fed to this model in batches (prompt and the other model's tokens). */
    prefillTokens: number;
    /** Wall time spent inside this model's evaluations, ms. */
    wallMs: number;
    /** Forward passes of this model (one per prediction, batched or not). */
    calls: number;
}

export interface StitchStats {
    mode: Mode;
    threshold: number;
    slm: ModelStats;
    llm: ModelStats;
    totalTokens: number;
    switches: number;
    /** SLM tokens thrown away because the SLM was unsure (R-Stitch step 3). */
    discardedSlmTokens: number;
    /** LLM tokens / total tokens. */
    llmShare: number;
    wallMs: number;
    tokensPerSecond: number;
    /** Remote LLM only (llama-server): requests sent, their summed wait for the first token, positions without reported probabilities. */
    remote?: { requests: number; firstTokenMs: number; unreported: number };
    /**
     * Speculative modes: draft tokens proposed and accepted, and the LLM's forward passes (for
     * node-llama-cpp's predictor estimated as tokens − accepted drafts, as it does not count them).
     */
    draft?: { proposed: number; accepted: number; llmPasses?: number };
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
    /** Set when the input, not the decoder, is at fault: the prompt does not fit the context. */
    code?: "prompt-too-long";
}

export type StitchEvent = TokenEvent | SwitchEvent | DoneEvent | ErrorEvent;
