/**
 * Which engine serves the LLM, and so which API the remote lane speaks. Read from `/v1/models`, which
 * every OpenAI-compatible server answers: llama-server adds `meta.n_vocab`, vLLM and SGLang name
 * themselves in `owned_by`. `auto` picks llama-server's native API where it is there, else the
 * OpenAI completions API.
 */
import { RemoteLlmError } from "./errors.ts";
import type { ServerApi } from "./server-api.ts";
import type { LlamaServerClient } from "./server-client.ts";


export type Engine = "llama-server" | "vllm" | "sglang" | "unknown";

export interface DetectedServer {
    engine: Engine;
    /** The model id the server lists first (sent as `model` on the OpenAI API). */
    model: string;
    /** Tokens one request may hold, where the listing says (vLLM, SGLang: max_model_len). */
    contextSize?: number;
}

interface ModelList {
    data?: { id?: string; owned_by?: string; max_model_len?: number; meta?: { n_vocab?: number } }[];
}

export async function detectServer(client: LlamaServerClient, signal?: AbortSignal): Promise<DetectedServer> {
    const list = await client.getJson<ModelList>("/v1/models", signal);
    const first = list.data?.[0];
    if (!first?.id) throw new RemoteLlmError("bad-answer", `The server at ${client.url} lists no model at /v1/models; is an OpenAI-compatible LLM server running there?`);
    const owner = (first.owned_by ?? "").toLowerCase();
    const engine: Engine = typeof first.meta?.n_vocab === "number" ? "llama-server" : owner === "vllm" ? "vllm" : owner === "sglang" ? "sglang" : "unknown";
    return { engine, model: first.id, contextSize: typeof first.max_model_len === "number" ? first.max_model_len : undefined };
}

/** The API to speak: the setting, with `auto` resolved by what the server is. */
export function chooseApi(setting: ServerApi | undefined, server: DetectedServer): "llama" | "openai" {
    if (setting === "llama" || setting === "openai") return setting;
    return server.engine === "llama-server" ? "llama" : "openai";
}
