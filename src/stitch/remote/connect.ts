/** Connects to the LLM server once, when a pair is loaded: checks it answers and shares the SLM's tokenizer. */
import type { LlamaModel } from "node-llama-cpp";
import type { ModelInfo } from "../pair.ts";
import { LlamaServerClient, type ServerSettings } from "./server-client.ts";
import { checkServerTokenizer, type ServerModel } from "./server-tokenizer.ts";

export interface RemoteLlm {
    client: LlamaServerClient;
    server: ServerModel;
    info: ModelInfo;
}

export async function connectRemoteLlm(settings: ServerSettings, slm: LlamaModel, vocabularySize: number, signal?: AbortSignal): Promise<RemoteLlm> {
    const client = new LlamaServerClient(settings);
    const server = await checkServerTokenizer(client, {
        vocabularySize,
        tokenize: (text) => slm.tokenize(text),
        detokenize: (tokens) => slm.detokenize(tokens, true),
        bos: slm.tokens.bos,
        eos: slm.tokens.eos,
    }, signal);
    return { client, server, info: { path: client.url, name: `${server.name} (${client.url})`, vocabularySize: server.vocabularySize } };
}
