/**
 * A loaded SLM/LLM pair: both models, one context each, a shared tokenizer. Runs one decode at a time
 * in any mode and always reports through the same event stream.
 */
import type { ChatWrapper, LlamaContext, LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import { chooseEntropyMethod, type EntropySetting } from "./entropy.ts";
import type { Mode, Source, StitchEvent } from "./events.ts";
import { DEFAULT_BUDGET, DEFAULT_MODE, DEFAULT_CONTEXT_SIZE, DEFAULT_DRAFT_TOKENS, DEFAULT_THRESHOLD, defaultFlashAttention, defaultThreads } from "./defaults.ts";
import { measureCost, type ModelCost } from "./costs.ts";
import { BatchLane } from "./batch-lane.ts";
import { draftVerify } from "./draft-verify.ts";
import { Lane } from "./lane.ts";
import { renderPrompt, type RenderedPrompt } from "./prompt.ts";
import { getBackend, logMark, logSince, nodeLlamaCpp, type NodeLlamaCpp } from "./runtime.ts";
import { loadFailureReason } from "./model-file.ts";
import { PairLoadError } from "./pair-error.ts";
import { speculate } from "./speculative.ts";
import { effectiveThreshold, stitch } from "./stitcher.ts";
import { connectRemoteLlm, type RemoteLlm } from "./remote/connect.ts";
import { RemoteLane } from "./remote/remote-lane.ts";
import type { ServerSettings } from "./remote/server-client.ts";
import type { StitchLane } from "./stitch-lane.ts";
import { checkModelFile, checkPairFiles } from "./pair-check.ts";

const MAX_SPECULATIVE_CONTEXTS = 3;

export { PairLoadError, type PairErrorCode } from "./pair-error.ts";

export interface PairOptions {
    slmPath: string;
    llmPath: string;
    contextSize?: number;
    /** CPU threads; 0 or undefined: defaultThreads(). */
    threads?: number;
    /** Layers offloaded to a GPU; 0 keeps everything on the CPU. */
    gpuLayers?: number;
    /** llama.cpp's flash attention; undefined: defaultFlashAttention(gpuLayers). */
    flashAttention?: boolean;
    /** When set, the LLM is the one llama-server runs at this address and llmPath is not read. */
    llmServer?: ServerSettings;
}

export interface SolveOptions {
    prompt: string;
    system?: string;
    mode?: Mode;
    threshold?: number;
    budget?: number;
    temperature?: number;
    seed?: number;
    entropy?: EntropySetting;
    topK?: number;
    /** Speculative mode: draft tokens per step. */
    draftTokens?: number;
    signal?: AbortSignal;
}

export interface ModelInfo {
    path: string;
    name: string;
    vocabularySize: number;
}

interface Loaded {
    model: LlamaModel;
    context: LlamaContext;
    /** The sequence the stitcher's lane uses; cleared at the start of every solve. */
    sequence: LlamaContextSequence;
    info: ModelInfo;
}

/** Contexts for speculative mode, made on first use: the LLM's sequence carries the SLM draft predictor. */
interface Speculative {
    draftTokens: number;
    draftContext: LlamaContext;
    targetContext: LlamaContext;
    target: LlamaContextSequence;
}

export async function loadPair(options: PairOptions): Promise<ModelPair> {
    if (options.llmServer) return loadRemotePair(options, options.llmServer);
    const { slm: slmTok, llm: llmTok } = await checkPairFiles(options.slmPath, options.llmPath);
    const lib = await nodeLlamaCpp();

    const gpuLayers = options.gpuLayers ?? 0;
    const llama = await getBackend(gpuLayers > 0);
    const settings = contextSettings(options);
    const loaded: Loaded[] = [];
    let current = { path: options.slmPath, role: "small (SLM)" };
    const mark = logMark();
    try {
        // Each model keeps its own vocabulary size: a same-family pair may differ in padding entries.
        for (const [path, read, role] of [[options.slmPath, slmTok, "small (SLM)"], [options.llmPath, llmTok, "large (LLM)"]] as const) {
            current = { path, role };
            const model = await llama.loadModel({ modelPath: path, gpuLayers });
            const context = await createContext(model, settings, settings.contextSize, 1)
                .catch(async (e) => { await model.dispose(); throw e; });
            loaded.push({ model, context, sequence: context.getSequence(), info: { path, name: read.name, vocabularySize: read.tokenizer.tokens!.length } });
        }
    } catch (e) {
        await Promise.all(loaded.map(async (l) => { await l.context?.dispose(); await l.model.dispose(); }));
        const reason = loadFailureReason(logSince(mark), (e as Error).message);
        throw new PairLoadError("load-failed", `llama.cpp could not load the ${current.role} model ${current.path}: ${reason}. If the file is damaged, download it again; if this llama.cpp does not support the model, choose another one.`, current.path);
    }
    return new ModelPair(lib, loaded[0], loaded[1], settings);
}

/** The SLM on this machine, the LLM in llama-server: refused unless the server's tokenizer is the SLM's. */
async function loadRemotePair(options: PairOptions, server: ServerSettings): Promise<ModelPair> {
    const slmTok = await checkModelFile(options.slmPath, "small (SLM)");
    const lib = await nodeLlamaCpp();
    const gpuLayers = options.gpuLayers ?? 0;
    const llama = await getBackend(gpuLayers > 0);
    const settings = contextSettings(options);
    let model: LlamaModel;
    let context: LlamaContext;
    const mark = logMark();
    try {
        model = await llama.loadModel({ modelPath: options.slmPath, gpuLayers });
        context = await createContext(model, settings, settings.contextSize, 1)
            .catch(async (e) => { await model.dispose(); throw e; });
    } catch (e) {
        const reason = loadFailureReason(logSince(mark), (e as Error).message);
        throw new PairLoadError("load-failed", `llama.cpp could not load the small (SLM) model ${options.slmPath}: ${reason}. If the file is damaged, download it again; if this llama.cpp does not support the model, choose another one.`, options.slmPath);
    }
    const slm: Loaded = { model, context, sequence: context.getSequence(), info: { path: options.slmPath, name: slmTok.name, vocabularySize: slmTok.vocabularySize } };
    try {
        const remote = await connectRemoteLlm(server, model, slm.info.vocabularySize);
        return new ModelPair(lib, slm, remote, settings);
    } catch (e) {
        await context.dispose();
        await model.dispose();
        const code = (e as { code?: string }).code === "tokenizer-mismatch" ? "tokenizer-mismatch" : "server";
        throw new PairLoadError(code, (e as Error).message);
    }
}

/** What every context of a pair is made with: size cap, threads and the attention kernel. */
interface ContextSettings {
    contextSize: number;
    threads: number;
    flashAttention?: boolean;
}

function contextSettings(options: PairOptions): ContextSettings {
    return {
        contextSize: options.contextSize ?? DEFAULT_CONTEXT_SIZE,
        threads: options.threads && options.threads > 0 ? options.threads : defaultThreads(),
        flashAttention: options.flashAttention ?? defaultFlashAttention(options.gpuLayers ?? 0),
    };
}

/** A context for one model, never larger than the model was trained for. */
function createContext(model: LlamaModel, settings: ContextSettings, limit = settings.contextSize, sequences?: number): Promise<LlamaContext> {
    const { threads, flashAttention } = settings;
    return model.createContext({
        contextSize: Math.min(settings.contextSize, limit, model.trainContextSize || settings.contextSize), threads,
        ...(sequences ? { sequences } : {}), ...(flashAttention === undefined ? {} : { flashAttention }),
    });
}

function isLocal(llm: Loaded | RemoteLlm): llm is Loaded {
    return !("client" in llm);
}

export class ModelPair {
    private running = false;
    private disposed = false;
    /** By draft length; the benchmark alternates a few, the extension uses one. */
    private readonly speculative = new Map<number, Speculative>();

    constructor(
        private readonly lib: NodeLlamaCpp,
        private readonly slm: Loaded,
        private readonly llm: Loaded | RemoteLlm,
        private readonly contextOptions: ContextSettings,
    ) {}

    get busy(): boolean {
        return this.running;
    }

    describe(): { slm: ModelInfo; llm: ModelInfo } {
        return { slm: this.slm.info, llm: this.llm.info };
    }

    /** Where the LLM runs when it is not on this machine (undefined: local). */
    get remoteLlm(): { url: string; name: string } | undefined {
        return isLocal(this.llm) ? undefined : { url: this.llm.client.url, name: this.llm.server.name };
    }

    /** Flash attention in this pair's contexts (undefined: llama.cpp's choice). */
    get flashAttention(): boolean | undefined {
        return this.contextOptions.flashAttention;
    }

    /** Largest number of tokens a context can hold (prompt plus output). */
    get contextSize(): number {
        const llm = isLocal(this.llm) ? this.llm.context.contextSize : this.llm.server.contextSize;
        return Math.min(this.slm.context.contextSize, llm);
    }

    /** Tokenises text with the shared tokenizer. */
    tokenize(text: string): Token[] {
        return this.slm.model.tokenize(text);
    }

    /**
     * Decodes one answer. The stream ends with exactly one `done` or `error` event; an aborted signal
     * ends it with `done` (stopReason "abort") within one token, and the pair stays usable.
     */
    async *solve(options: SolveOptions): AsyncGenerator<StitchEvent, void> {
        if (this.disposed) {
            yield { type: "error", message: "The models were unloaded; load them again." };
            return;
        }
        if (this.running) {
            yield { type: "error", message: "A solve is already running on these models; stop it or wait for it to finish." };
            return;
        }
        this.running = true;
        try {
            const mode = options.mode ?? DEFAULT_MODE;
            const { slm: slmPrompt, llm: llmPrompt } = this.renderPrompts(options.prompt, options.system);
            const llm = this.llm;
            const promptLength = Math.max(slmPrompt.tokens.length, llmPrompt.tokens.length);
            const room = this.contextSize - promptLength - 1;
            if (room < 1) {
                yield { type: "error", code: "prompt-too-long", message: this.tooLong(promptLength) };
                return;
            }
            const model = this.slm.model;
            const common = {
                budget: Math.min(options.budget ?? DEFAULT_BUDGET, room),
                temperature: options.temperature ?? 0,
                seed: options.seed ?? 0,
                isEndOfGeneration: (t: Token) => this.slm.model.isEogToken(t) || (isLocal(llm) && llm.model.isEogToken(t)),
                detokenize: (tokens: number[]) => model.detokenize(tokens as Token[]),
                stopTriggers: [...new Set([...slmPrompt.textTriggers, ...llmPrompt.textTriggers])],
                signal: options.signal,
            };

            const speculativeModes: readonly Mode[] = ["speculative", "draft-verify", "stitch-spec", "stitch-eager"];
            if (!isLocal(llm) && speculativeModes.includes(mode)) {
                const name = mode.charAt(0).toUpperCase() + mode.slice(1);
                yield { type: "error", message: `${name} mode needs the LLM on this machine; here it runs on a server. Use stitch, slm or llm mode.` };
                return;
            }
            if (mode === "speculative") {
                const spec = await this.speculativeContexts(options.draftTokens ?? DEFAULT_DRAFT_TOKENS);
                await spec.target.clearHistory();
                const entropy = chooseEntropyMethod(this.llm.info.vocabularySize, options.entropy);
                yield* speculate({ ...common, sequence: spec.target, promptTokens: llmPrompt.tokens, vocabularySize: this.llm.info.vocabularySize, entropy });
                return;
            }

            const threshold = options.threshold ?? DEFAULT_THRESHOLD;
            const promptTokens = { slm: slmPrompt.tokens, llm: llmPrompt.tokens };
            if ((mode === "draft-verify" || mode === "stitch-spec" || mode === "stitch-eager") && common.temperature === 0) {
                const batchLane = async (source: Source, loaded: Loaded) => {
                    await loaded.sequence.clearHistory();
                    const method = chooseEntropyMethod(loaded.info.vocabularySize, options.entropy);
                    // The SLM's entropy routes in stitch-spec; a pure speculative decoder needs greedy tokens only.
                    return new BatchLane(source, loaded.sequence, loaded.info.vocabularySize, method, mode !== "draft-verify", options.topK);
                };
                const lanes = { slm: await batchLane("slm", this.slm), llm: await batchLane("llm", llm as Loaded) };
                try {
                    yield* draftVerify({ ...common, mode, promptTokens, threshold, lanes, draftTokens: options.draftTokens ?? DEFAULT_DRAFT_TOKENS });
                } finally {
                    // A background read-ahead must end before the next solve clears the sequence.
                    await lanes.llm.close();
                    await lanes.slm.close();
                }
                return;
            }
            // With sampling the speculative modes decode as their plain counterparts (same distribution).
            const plain = mode === "draft-verify" ? "llm" : mode === "stitch-spec" || mode === "stitch-eager" ? "stitch" : mode;
            const lane = async (source: Source, loaded: Loaded) => {
                await loaded.sequence.clearHistory();
                const method = chooseEntropyMethod(loaded.info.vocabularySize, options.entropy);
                return new Lane(source, loaded.sequence, loaded.info.vocabularySize, method, options.topK);
            };
            const lanes: Record<Source, StitchLane> = {
                slm: await lane("slm", this.slm),
                llm: isLocal(llm)
                    ? await lane("llm", llm)
                    : new RemoteLane({ client: llm.client, vocabularySize: llm.info.vocabularySize, threshold: effectiveThreshold(plain, threshold), budget: common.budget, signal: options.signal }),
            };
            try {
                yield* stitch({
                    ...common,
                    mode: plain,
                    lanes,
                    promptTokens,
                    threshold,
                });
            } finally {
                await lanes.slm.close();
                await lanes.llm.close();
            }
        } catch (e) {
            yield { type: "error", message: `Decoding failed: ${(e as Error).message}` };
        } finally {
            this.running = false;
        }
    }

    /** The prompt as each model's own chat template renders it: the tokens `solve` feeds, and the stop triggers. */
    renderPrompts(prompt: string, system?: string): Record<Source, RenderedPrompt> {
        const slm = renderPrompt(this.slm.model, this.chatWrapper(this.slm), prompt, system);
        const llm = this.llm;
        // A remote LLM shares the SLM's tokenizer (checked on connect); its prompt is the SLM's rendering.
        return { slm, llm: isLocal(llm) ? renderPrompt(llm.model, this.chatWrapper(llm), prompt, system) : slm };
    }

    /** The prompt as the LLM's chat template renders it (what an external peer must be sent). */
    llmPromptTokens(prompt: string, system?: string): Token[] {
        return this.renderPrompts(prompt, system).llm.tokens;
    }

    /** Says which limit the prompt ran into: one the user can raise, or the models' trained context. */
    private tooLong(promptLength: number): string {
        const trained = Math.min(...[this.slm, this.llm].filter(isLocal).map((l) => l.model.trainContextSize || Infinity));
        const head = `The prompt is ${promptLength} tokens long (with the chat template) and`;
        if (this.contextSize >= trained) {
            return `${head} does not fit: these models were trained for a context of ${trained} tokens, prompt and answer together, which cannot be raised. Shorten the prompt.`;
        }
        const raise = Number.isFinite(trained) ? `, up to the models' trained ${trained} tokens` : "";
        return `${head} does not fit the context of ${this.contextSize} tokens. Shorten it or raise the context size (setting rstitch.contextSize, CLI --context)${raise}.`;
    }

    private readonly wrappers = new Map<Loaded, ChatWrapper>();

    /** Each model's own chat template, resolved once. */
    private chatWrapper(loaded: Loaded): ChatWrapper {
        let wrapper = this.wrappers.get(loaded);
        if (!wrapper) {
            wrapper = this.lib.resolveChatWrapper(loaded.model) ?? new this.lib.GeneralChatWrapper();
            this.wrappers.set(loaded, wrapper);
        }
        return wrapper;
    }

    /** Per-token costs of both models on this machine (see costs.ts); not while a solve runs. */
    async measureCosts(sampleText: string, entropy?: EntropySetting): Promise<{ slm: ModelCost; llm: ModelCost }> {
        if (this.running) throw new Error("Cannot measure costs while a solve is running.");
        this.running = true;
        try {
            const sample = this.tokenize(sampleText.repeat(Math.ceil(256 / Math.max(1, sampleText.length)))).slice(0, 128);
            const cost = (l: Loaded) => measureCost(l.sequence, l.info.vocabularySize, chooseEntropyMethod(l.info.vocabularySize, entropy), sample);
            const llm = this.llm;
            if (!isLocal(llm)) throw new Error("The LLM runs on a server; its per-token cost is not measured locally.");
            return { slm: await cost(this.slm), llm: await cost(llm) };
        } finally {
            this.running = false;
        }
    }

    private async speculativeContexts(draftTokens: number): Promise<Speculative> {
        const cached = this.speculative.get(draftTokens);
        if (cached) return cached;
        // Each entry holds a second context per model; keep a few at most.
        if (this.speculative.size >= MAX_SPECULATIVE_CONTEXTS) {
            const [oldest] = this.speculative.keys();
            await this.disposeSpeculative(oldest);
        }
        const settings = this.contextOptions;
        const draftContext = await createContext(this.slm.model, settings, this.slm.context.contextSize);
        const llm = this.llm;
        if (!isLocal(llm)) throw new Error("Speculative mode needs the LLM on this machine.");
        const targetContext = await createContext(llm.model, settings, llm.context.contextSize);
        // minTokens = maxTokens and no confidence floor: it drafts the full length every time (with the
        // defaults, minTokens 0 and minConfidence 0.6, it stopped after a token or two and barely drafted).
        const predictor = new this.lib.DraftSequenceTokenPredictor(draftContext.getSequence(), {
            minTokens: draftTokens, maxTokens: draftTokens, minConfidence: 0,
        });
        const spec = { draftTokens, draftContext, targetContext, target: targetContext.getSequence({ tokenPredictor: predictor }) };
        this.speculative.set(draftTokens, spec);
        return spec;
    }

    private async disposeSpeculative(draftTokens: number): Promise<void> {
        const spec = this.speculative.get(draftTokens);
        this.speculative.delete(draftTokens);
        if (!spec) return;
        await spec.targetContext.dispose();
        await spec.draftContext.dispose();
    }

    async dispose(): Promise<void> {
        if (this.disposed) return;
        this.disposed = true;
        for (const d of [...this.speculative.keys()]) await this.disposeSpeculative(d);
        for (const l of [this.slm, this.llm].filter(isLocal)) {
            await l.context.dispose();
            await l.model.dispose();
        }
    }
}
