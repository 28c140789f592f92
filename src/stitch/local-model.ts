/**
 * A model in this process through node-llama-cpp: loading (with the one load-failure message for
 * every role), its contexts, its chat template, its lanes. The SLM is always one; a local LLM is one
 * behind the LlmBackend seam.
 */
import type { ChatWrapper, Llama, LlamaContext, LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import { chooseEntropyMethod, type EntropySetting } from "./entropy.ts";
import type { Source } from "./events.ts";
import { BatchLane } from "./batch-lane.ts";
import { Lane } from "./lane.ts";
import type { InProcessModel, LaneRequest, LlmBackend, ModelInfo, VerifyLaneRequest } from "./llm-backend.ts";
import { loadFailureReason } from "./model-file.ts";
import { PairLoadError } from "./pair-error.ts";
import { renderPrompt, type PromptInput, type RenderedPrompt } from "./prompt.ts";
import { logMark, logSince, type NodeLlamaCpp } from "./runtime.ts";
import type { StitchLane, VerifyLane } from "./stitch-lane.ts";

/** What every context of a pair is made with: size cap, threads and the attention kernel. */
export interface ContextSettings {
    contextSize: number;
    threads: number;
    flashAttention?: boolean;
}

export interface LoadRequest {
    path: string;
    /** "small (SLM)" or "large (LLM)", for the message when llama.cpp refuses the file. */
    role: string;
    name: string;
    vocabularySize: number;
    gpuLayers: number;
    settings: ContextSettings;
}

/** A context for one model, never larger than the model was trained for. */
function createContext(model: LlamaModel, settings: ContextSettings, limit = settings.contextSize, sequences?: number): Promise<LlamaContext> {
    const { threads, flashAttention } = settings;
    return model.createContext({
        contextSize: Math.min(settings.contextSize, limit, model.trainContextSize || settings.contextSize), threads,
        ...(sequences ? { sequences } : {}), ...(flashAttention === undefined ? {} : { flashAttention }),
    });
}

/** Loads one model and its context; a refusal by llama.cpp is a PairLoadError that names the role and the file. */
export async function loadLocalModel(lib: NodeLlamaCpp, llama: Llama, request: LoadRequest): Promise<LocalModel> {
    const { path, role, gpuLayers, settings } = request;
    const mark = logMark();
    let model: LlamaModel | undefined;
    try {
        model = await llama.loadModel({ modelPath: path, gpuLayers });
        const context = await createContext(model, settings, settings.contextSize, 1);
        return new LocalModel(lib, model, context, { path, name: request.name, vocabularySize: request.vocabularySize }, settings);
    } catch (e) {
        await model?.dispose();
        const reason = loadFailureReason(logSince(mark), (e as Error).message);
        throw new PairLoadError("load-failed", `llama.cpp could not load the ${role} model ${path}: ${reason}. If the file is damaged, download it again; if this llama.cpp does not support the model, choose another one.`, path);
    }
}

export class LocalModel implements LlmBackend, InProcessModel {
    readonly sequence: LlamaContextSequence;
    private wrapper: ChatWrapper | undefined;

    constructor(
        private readonly lib: NodeLlamaCpp,
        readonly model: LlamaModel,
        readonly context: LlamaContext,
        readonly info: ModelInfo,
        private readonly settings: ContextSettings,
        /** The LocalModels on this loaded model (siblings): the last one disposed unloads it. */
        private readonly holders = { count: 1 },
    ) {
        this.sequence = context.getSequence();
    }

    /**
     * Another LocalModel on the same loaded model with a context of its own (its own KV cache): the
     * weights are read once for several users (`rstitch load`'s clients).
     */
    async sibling(): Promise<LocalModel> {
        const context = await createContext(this.model, this.settings, this.context.contextSize, 1);
        this.holders.count++;
        return new LocalModel(this.lib, this.model, context, this.info, this.settings, this.holders);
    }

    get local(): InProcessModel {
        return this;
    }

    get contextSize(): number {
        return this.context.contextSize;
    }

    get trainContextSize(): number | undefined {
        return this.model.trainContextSize || undefined;
    }

    isEndOfGeneration(token: Token): boolean {
        return this.model.isEogToken(token);
    }

    createContext(): Promise<LlamaContext> {
        return createContext(this.model, this.settings, this.context.contextSize);
    }

    /** The conversation through this model's own chat template (resolved once). */
    renderPrompt(input: PromptInput): RenderedPrompt {
        this.wrapper ??= this.lib.resolveChatWrapper(this.model) ?? new this.lib.GeneralChatWrapper();
        return renderPrompt(this.model, this.wrapper, input);
    }

    /** The lane starts on what the sequence holds: a follow-up reads only what its prompt adds (held-prefix.ts). */
    async stitchLane(request: LaneRequest): Promise<StitchLane> {
        return new Lane(request.source, this.sequence, this.info.vocabularySize, this.entropy(request.entropy), request.topK, undefined, undefined, request.reuse ?? true);
    }

    async verifyLane(source: Source, request: VerifyLaneRequest): Promise<VerifyLane> {
        return new BatchLane(source, this.sequence, this.info.vocabularySize, this.entropy(request.entropy), request.readEntropy, request.topK, request.reuse ?? true);
    }

    private entropy(setting: EntropySetting | undefined) {
        return chooseEntropyMethod(this.info.vocabularySize, setting);
    }

    async dispose(): Promise<void> {
        await this.context.dispose();
        if (--this.holders.count === 0) await this.model.dispose();
    }
}
