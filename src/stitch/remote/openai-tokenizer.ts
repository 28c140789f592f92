/**
 * The tokenizer check for engines other than llama-server, through the endpoints each one has (the
 * two models write one token stream, so the server's tokenizer must be the SLM's):
 *  - vLLM: `/tokenize` of a probe text, and `/detokenize` of every token id in runs (vLLM decodes one
 *    list to one string, which must equal the SLM's text of the run or of its tokens one by one);
 *  - SGLang: `/v1/tokenize` of the probe, and `/v1/detokenize` of every id on its own (it decodes a
 *    list of lists to one text each).
 * Neither reports its vocabulary size: ids past the SLM's vocabulary are not checked, and the entropy
 * is normalised by the SLM's vocabulary. An engine R-Stitch does not know cannot be checked: refused.
 */
import { RemoteLlmError } from "./errors.ts";
import type { LlamaServerClient } from "./server-client.ts";
import type { DetectedServer } from "./server-engine.ts";
import { PROBE_TEXT, type LocalTokenizer } from "./server-tokenizer.ts";

const RUN = 512;

function show(text: string): string {
    return JSON.stringify(text.length > 40 ? text.slice(0, 40) + "…" : text);
}

export async function checkOpenAiTokenizer(client: LlamaServerClient, server: DetectedServer, local: LocalTokenizer, signal?: AbortSignal): Promise<void> {
    const refuse = (why: string) =>
        new RemoteLlmError("tokenizer-mismatch", `The LLM server at ${client.url} runs ${server.model}, whose tokenizer differs from the local small model's (${why}); the two models cannot write one output together. Serve an LLM of the same family as the SLM.`);
    if (server.engine !== "vllm" && server.engine !== "sglang") {
        throw new RemoteLlmError("not-llama-server", `The server at ${client.url} is an OpenAI-compatible server R-Stitch does not know (it is not llama-server, vLLM or SGLang), so R-Stitch cannot check that it uses the SLM's tokenizer, and refuses it: a different tokenizer would garble every answer. Serve the LLM with llama-server, vLLM or SGLang.`);
    }
    const prefix = server.engine === "sglang" ? "/v1" : "";
    const model = server.model;

    const probe = await client.postJson<{ tokens?: number[] }>(`${prefix}/tokenize`, { model, prompt: PROBE_TEXT, add_special_tokens: false }, signal);
    const own = local.tokenize(PROBE_TEXT);
    const at = own.findIndex((t, i) => probe.tokens?.[i] !== t);
    if (at >= 0 || probe.tokens?.length !== own.length) {
        throw refuse(`a probe text splits into different tokens${at >= 0 ? ` from token ${at}` : ""}: ${probe.tokens?.length} on the server, ${own.length} locally`);
    }

    for (let start = 0; start < local.vocabularySize; start += RUN) {
        const ids = Array.from({ length: Math.min(RUN, local.vocabularySize - start) }, (_, i) => start + i);
        if (server.engine === "sglang") {
            const answer = await client.postJson<{ text?: string[] }>("/v1/detokenize", { model, tokens: ids.map((id) => [id]), skip_special_tokens: false }, signal);
            if (answer.text?.length !== ids.length) throw new RemoteLlmError("bad-answer", `The LLM server at ${client.url} answered /v1/detokenize with ${answer.text?.length ?? 0} texts for ${ids.length} token ids.`);
            for (let i = 0; i < ids.length; i++) {
                const mine = local.detokenize([ids[i]] as never);
                if (answer.text[i] !== mine) throw refuse(`token ${ids[i]} is ${show(answer.text[i])} on the server, ${show(mine)} locally`);
            }
        } else {
            const answer = await client.postJson<{ prompt?: string }>("/detokenize", { model, tokens: ids }, signal);
            // Decoders differ in how they tidy spaces across tokens (llama.cpp drops the one before "!"
            // in a run): the run's text must equal the SLM's text of the run or its tokens' texts joined.
            const mine = local.detokenize(ids as never);
            const joined = ids.map((id) => local.detokenize([id] as never)).join("");
            if (answer.prompt !== mine && answer.prompt !== joined) throw refuse(`tokens ${ids[0]}–${ids[ids.length - 1]} read ${show(answer.prompt ?? "")} on the server, ${show(mine)} locally`);
        }
    }
}
