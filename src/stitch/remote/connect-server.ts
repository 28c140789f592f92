/**
 * Connecting the LLM on its server: which engine it is, which API to speak (rstitch.LLMServerAPI,
 * --llm-api), and the backend for it.
 */
import type { LlamaModel } from "node-llama-cpp";
import type { LlmBackend } from "../llm-backend.ts";
import { OpenAiLlm } from "./openai-llm.ts";
import { RemoteLlm } from "./remote-llm.ts";
import { LlamaServerClient, type ServerSettings } from "./server-client.ts";
import { chooseApi, detectServer } from "./server-engine.ts";

export async function connectLlmServer(settings: ServerSettings, slm: LlamaModel, vocabularySize: number, signal?: AbortSignal): Promise<LlmBackend> {
    if (settings.api === "llama") return RemoteLlm.connect(settings, slm, vocabularySize, signal);
    const client = new LlamaServerClient(settings);
    const detected = await detectServer(client, signal);
    if (chooseApi(settings.api, detected) === "llama") return RemoteLlm.connect(settings, slm, vocabularySize, signal);
    return OpenAiLlm.connect(client, detected, slm, vocabularySize, signal);
}
