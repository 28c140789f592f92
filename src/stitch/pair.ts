/**
 * A loaded SLM/LLM pair: both models, one context each, a shared tokenizer. Runs one decode at a time
 * in any mode and always reports through the same event stream.
 */
import { access, constants } from "node:fs/promises";
import type { ChatWrapper, LlamaContext, LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import { chooseEntropyMethod, type EntropySetting } from "./entropy.ts";
import type { Mode, Source, StitchEvent } from "./events.ts";
import { DEFAULT_BUDGET, DEFAULT_CONTEXT_SIZE, DEFAULT_DRAFT_TOKENS, DEFAULT_THRESHOLD, defaultThreads } from "./defaults.ts";
import { measureCost, type ModelCost } from "./costs.ts";
import { Lane } from "./lane.ts";
import { renderPrompt } from "./prompt.ts";
import { getBackend, nodeLlamaCpp, type NodeLlamaCpp } from "./runtime.ts";
import { speculate } from "./speculative.ts";
import { effectiveThreshold, stitch } from "./stitcher.ts";
import { connectRemoteLlm, type RemoteLlm } from "./remote/connect.ts";
import { RemoteLane } from "./remote/remote-lane.ts";
import type { ServerSettings } from "./remote/server-client.ts";
import type { StitchLane } from "./stitch-lane.ts";
import { tokenizerDifference, type TokenizerInfo } from "./tokenizer-check.ts";

const MAX_SPECULATIVE_CONTEXTS = 3;

export type PairErrorCode = "missing-file" | "bad-file" | "tokenizer-mismatch" | "load-failed" | "server";

/** A pair that cannot be used, with a message meant for the user. */
export class PairLoadError extends Error {
    constructor(readonly code: PairErrorCode, message: string, readonly path?: string) {
        super(message);
        this.name = "PairLoadError";
    }
}

export interface PairOptions {
    slmPath: string;
    llmPath: string;
    contextSize?: number;
    /** CPU threads; 0 or undefined: defaultThreads(). */
    threads?: number;
    /** Layers offloaded to a GPU; 0 keeps everything on the CPU. */
    gpuLayers?: number;
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

async function checkReadable(path: string, role: string): Promise<void> {
    try {
        await access(path, constants.R_OK);
    } catch {
        throw new PairLoadError("missing-file", `The ${role} model file was not found or cannot be read: ${path}`, path);
    }
}

async function readTokenizer(lib: NodeLlamaCpp, path: string, role: string): Promise<{ tokenizer: TokenizerInfo; name: string }> {
    try {
        const info = await lib.readGgufFileInfo(path, { readTensorInfo: false });
        const metadata = info.metadata as { tokenizer?: { ggml?: TokenizerInfo }; general?: { name?: string } };
        const tokenizer = metadata.tokenizer?.ggml;
        if (!tokenizer?.tokens?.length) throw new Error("it has no tokenizer vocabulary");
        return { tokenizer, name: metadata.general?.name ?? path.split(/[\\/]/).pop() ?? path };
    } catch (e) {
        throw new PairLoadError("bad-file", `The ${role} model is not a usable GGUF file (${path}): ${(e as Error).message}`, path);
    }
}

export async function loadPair(options: PairOptions): Promise<ModelPair> {
    if (options.llmServer) return loadRemotePair(options, options.llmServer);
    await checkReadable(options.slmPath, "small (SLM)");
    await checkReadable(options.llmPath, "large (LLM)");
    const lib = await nodeLlamaCpp();
    const [slmTok, llmTok] = [await readTokenizer(lib, options.slmPath, "small (SLM)"), await readTokenizer(lib, options.llmPath, "large (LLM)")];
    const difference = tokenizerDifference(slmTok.tokenizer, llmTok.tokenizer);
    if (difference) {
        throw new PairLoadError("tokenizer-mismatch", `These two models do not share a tokenizer, so they cannot write one output together: ${difference}. Choose an SLM and an LLM of the same model family.`);
    }

    const gpuLayers = options.gpuLayers ?? 0;
    const llama = await getBackend(gpuLayers > 0);
    const contextSize = options.contextSize ?? DEFAULT_CONTEXT_SIZE;
    const threads = options.threads && options.threads > 0 ? options.threads : defaultThreads();
    const loaded: Loaded[] = [];
    try {
        for (const [path, name] of [[options.slmPath, slmTok.name], [options.llmPath, llmTok.name]] as const) {
            const model = await llama.loadModel({ modelPath: path, gpuLayers });
            const context = await model.createContext({ contextSize: Math.min(contextSize, model.trainContextSize || contextSize), threads, sequences: 1 })
                .catch(async (e) => { await model.dispose(); throw e; });
            loaded.push({ model, context, sequence: context.getSequence(), info: { path, name, vocabularySize: slmTok.tokenizer.tokens!.length } });
        }
    } catch (e) {
        await Promise.all(loaded.map(async (l) => { await l.context?.dispose(); await l.model.dispose(); }));
        throw new PairLoadError("load-failed", `llama.cpp could not load the models: ${(e as Error).message}`);
    }
    return new ModelPair(lib, loaded[0], loaded[1], { contextSize, threads });
}

/** The SLM on this machine, the LLM in llama-server: refused unless the server's tokenizer is the SLM's. */
async function loadRemotePair(options: PairOptions, server: ServerSettings): Promise<ModelPair> {
    await checkReadable(options.slmPath, "small (SLM)");
    const lib = await nodeLlamaCpp();
    const slmTok = await readTokenizer(lib, options.slmPath, "small (SLM)");
    const gpuLayers = options.gpuLayers ?? 0;
    const llama = await getBackend(gpuLayers > 0);
    const contextSize = options.contextSize ?? DEFAULT_CONTEXT_SIZE;
    const threads = options.threads && options.threads > 0 ? options.threads : defaultThreads();
    let model: LlamaModel;
    let context: LlamaContext;
    try {
        model = await llama.loadModel({ modelPath: options.slmPath, gpuLayers });
        context = await model.createContext({ contextSize: Math.min(contextSize, model.trainContextSize || contextSize), threads, sequences: 1 })
            .catch(async (e) => { await model.dispose(); throw e; });
    } catch (e) {
        throw new PairLoadError("load-failed", `llama.cpp could not load the small model: ${(e as Error).message}`);
    }
    const slm: Loaded = { model, context, sequence: context.getSequence(), info: { path: options.slmPath, name: slmTok.name, vocabularySize: slmTok.tokenizer.tokens!.length } };
    try {
        const remote = await connectRemoteLlm(server, model, slm.info.vocabularySize);
        return new ModelPair(lib, slm, remote, { contextSize, threads });
    } catch (e) {
        await context.dispose();
        await model.dispose();
        const code = (e as { code?: string }).code === "tokenizer-mismatch" ? "tokenizer-mismatch" : "server";
        throw new PairLoadError(code, (e as Error).message);
    }
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
        private readonly contextOptions: { contextSize: number; threads: number },
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
            const mode = options.mode ?? "stitch";
            const slmPrompt = renderPrompt(this.slm.model, this.chatWrapper(this.slm), options.prompt, options.system);
            // A remote LLM shares the SLM's tokenizer (checked on connect); its prompt is the SLM's rendering.
            const llm = this.llm;
            const llmPrompt = isLocal(llm) ? renderPrompt(llm.model, this.chatWrapper(llm), options.prompt, options.system) : slmPrompt;
            const promptLength = Math.max(slmPrompt.tokens.length, llmPrompt.tokens.length);
            const room = this.contextSize - promptLength - 1;
            if (room < 1) {
                yield { type: "error", message: `The prompt is ${promptLength} tokens long and does not fit the context of ${this.contextSize} tokens; shorten it or raise the context size.` };
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

            if (mode === "speculative") {
                if (!isLocal(llm)) {
                    yield { type: "error", message: "Speculative mode needs the LLM on this machine; here it runs on a server. Use stitch, slm or llm mode." };
                    return;
                }
                const spec = await this.speculativeContexts(options.draftTokens ?? DEFAULT_DRAFT_TOKENS);
                await spec.target.clearHistory();
                const entropy = chooseEntropyMethod(this.llm.info.vocabularySize, options.entropy);
                yield* speculate({ ...common, sequence: spec.target, promptTokens: llmPrompt.tokens, vocabularySize: this.llm.info.vocabularySize, entropy });
                return;
            }

            const lane = async (source: Source, loaded: Loaded) => {
                await loaded.sequence.clearHistory();
                const method = chooseEntropyMethod(loaded.info.vocabularySize, options.entropy);
                return new Lane(source, loaded.sequence, loaded.info.vocabularySize, method, options.topK);
            };
            const budget = common.budget;
            const lanes: Record<Source, StitchLane> = {
                slm: await lane("slm", this.slm),
                llm: isLocal(llm)
                    ? await lane("llm", llm)
                    : new RemoteLane({ client: llm.client, vocabularySize: llm.info.vocabularySize, threshold: effectiveThreshold(mode, options.threshold ?? DEFAULT_THRESHOLD), budget, signal: options.signal }),
            };
            try {
                yield* stitch({
                    ...common,
                    mode,
                    lanes,
                    promptTokens: { slm: slmPrompt.tokens, llm: llmPrompt.tokens },
                    threshold: options.threshold ?? DEFAULT_THRESHOLD,
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
        const { contextSize, threads } = this.contextOptions;
        const draftContext = await this.slm.model.createContext({ contextSize: Math.min(contextSize, this.slm.context.contextSize), threads });
        const llm = this.llm;
        if (!isLocal(llm)) throw new Error("Speculative mode needs the LLM on this machine.");
        const targetContext = await llm.model.createContext({ contextSize: Math.min(contextSize, llm.context.contextSize), threads });
        const predictor = new this.lib.DraftSequenceTokenPredictor(draftContext.getSequence(), { maxTokens: draftTokens });
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
