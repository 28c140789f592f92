/**
 * The seam between the pair and its LLM: what the pair asks of the large model wherever it runs.
 * Each engine is one file that declares `implements LlmBackend`: in this process through
 * node-llama-cpp (local-model.ts), in llama-server (remote/remote-llm.ts), or on any
 * OpenAI-compatible completions server (remote/openai-llm.ts).
 */
import type { LlamaContext, LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import type { EntropySetting } from "./entropy.ts";
import type { Source } from "./events.ts";
import type { PromptInput, RenderedPrompt } from "./prompt.ts";
import type { StitchLane, VerifyLane } from "./stitch-lane.ts";

export interface ModelInfo {
    path: string;
    name: string;
    vocabularySize: number;
}

/** What a lane for one solve is made with. */
export interface LaneRequest {
    source: Source;
    entropy?: EntropySetting;
    topK?: number;
    /** The run's effective τ (a remote lane ends its stream where the LLM hands back). */
    threshold: number;
    /** Output tokens the run may write in total. */
    budget: number;
    signal?: AbortSignal;
    /** Keep what the model read in earlier turns (default); false reads the whole prompt again. */
    reuse?: boolean;
}

export interface VerifyLaneRequest {
    entropy?: EntropySetting;
    topK?: number;
    /** false: greedy tokens only (a drafting model), entropy reported as -1. */
    readEntropy: boolean;
    reuse?: boolean;
}

/** A model loaded in this process: what engines that need the LLM's own model use (the SLM always is one). */
export interface InProcessModel {
    readonly model: LlamaModel;
    readonly context: LlamaContext;
    /** The sequence the lanes use; it keeps the conversation between solves (held-prefix.ts). */
    readonly sequence: LlamaContextSequence;
    readonly info: ModelInfo;
    /** A further context of this model, as large as the first, for an engine that keeps its own. */
    createContext(): Promise<LlamaContext>;
    /** A fresh lane that scores drafts in one pass and rewinds rejected ones, for one solve. */
    verifyLane(source: Source, request: VerifyLaneRequest): Promise<VerifyLane>;
}

export interface LlmBackend {
    readonly info: ModelInfo;
    /** Where the LLM runs when it is not in this process (undefined: here). */
    readonly server?: { url: string; name: string };
    /** Tokens one context holds, prompt and output together. */
    readonly contextSize: number;
    /** The context the model was trained for, where known: a limit no setting raises. */
    readonly trainContextSize?: number;
    /** The model itself when it runs in this process; engines that need it are refused otherwise. */
    readonly local?: InProcessModel;
    isEndOfGeneration(token: Token): boolean;
    /** The conversation as this model is fed it; `slm` is the SLM's rendering, which a backend sharing the SLM's tokenizer reuses. */
    renderPrompt(input: PromptInput, slm: RenderedPrompt): RenderedPrompt;
    /** A fresh lane for the R-Stitch loop, for one solve. */
    stitchLane(request: LaneRequest): Promise<StitchLane>;
    dispose(): Promise<void>;
}
