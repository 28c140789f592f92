/**
 * Loading a pair: the files checked before llama.cpp sees them, the SLM loaded here, the LLM loaded
 * here or connected on its server. Every failure is a PairLoadError with a message for the user.
 */
import { DEFAULT_CONTEXT_SIZE, defaultFlashAttention, defaultThreads } from "./defaults.ts";
import type { LlmBackend } from "./llm-backend.ts";
import { loadLocalModel, type ContextSettings, type LocalModel } from "./local-model.ts";
import { ModelPair } from "./pair.ts";
import { PairLoadError } from "./pair-error.ts";
import { checkModelFile, checkPairFiles } from "./pair-check.ts";
import { connectLlmServer } from "./remote/connect-server.ts";
import type { ServerSettings } from "./remote/server-client.ts";
import { getBackend, nodeLlamaCpp } from "./runtime.ts";

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

type Header = { name: string; vocabularySize: number };

const SLM_ROLE = "small (SLM)";
const LLM_ROLE = "large (LLM)";

function contextSettings(options: PairOptions): ContextSettings {
    return {
        contextSize: options.contextSize ?? DEFAULT_CONTEXT_SIZE,
        threads: options.threads && options.threads > 0 ? options.threads : defaultThreads(),
        flashAttention: options.flashAttention ?? defaultFlashAttention(options.gpuLayers ?? 0),
    };
}

/** With a server, the pair is refused unless the server's tokenizer is the SLM's. */
export async function loadPair(options: PairOptions): Promise<ModelPair> {
    const server = options.llmServer;
    // Each model keeps its own vocabulary size: a same-family pair may differ in padding entries.
    const headers: { slm: Header; llm?: Header } = server ? { slm: await checkModelFile(options.slmPath, SLM_ROLE) } : await checkPairFiles(options.slmPath, options.llmPath);
    const lib = await nodeLlamaCpp();
    const gpuLayers = options.gpuLayers ?? 0;
    const llama = await getBackend(gpuLayers > 0);
    const settings = contextSettings(options);
    const load = (path: string, role: string, header: Header) =>
        loadLocalModel(lib, llama, { path, role, name: header.name, vocabularySize: header.vocabularySize, gpuLayers, settings });

    const slm = await load(options.slmPath, SLM_ROLE, headers.slm);
    let llm: LlmBackend;
    try {
        llm = server ? await connect(server, slm) : await load(options.llmPath, LLM_ROLE, headers.llm!);
    } catch (e) {
        await slm.dispose();
        throw e;
    }
    return new ModelPair(lib, slm, llm, settings.flashAttention);
}

/**
 * `count` pairs on one LLM server, for as many users at once (`rstitch load`): the SLM file is loaded
 * once, each pair gets its own context of it (its own KV cache) and its own connection to the server
 * (its own slot and prompt cache there).
 */
export async function loadPairs(options: PairOptions & { llmServer: ServerSettings }, count: number): Promise<ModelPair[]> {
    const first = await loadPair(options);
    const pairs = [first];
    try {
        while (pairs.length < count) pairs.push(await first.sibling((slm) => connect(options.llmServer, slm)));
    } catch (e) {
        for (const pair of pairs) await pair.dispose();
        throw e;
    }
    return pairs;
}

async function connect(server: ServerSettings, slm: LocalModel): Promise<LlmBackend> {
    try {
        return await connectLlmServer(server, slm.model, slm.info.vocabularySize);
    } catch (e) {
        const code = (e as { code?: string }).code === "tokenizer-mismatch" ? "tokenizer-mismatch" : "server";
        throw new PairLoadError(code, (e as Error).message);
    }
}
