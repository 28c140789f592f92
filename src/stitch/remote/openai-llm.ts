/**
 * The LLM on any OpenAI-compatible completions server (llama-server, vLLM, SGLang), behind the pair's
 * LlmBackend seam. Connected once: the tokenizer is checked through the engine's own endpoints, and the
 * number of log-probabilities per token is found by asking (vLLM refuses more than --max-logprobs,
 * 20 by default, and says its limit).
 */
import type { LlamaModel, Token } from "node-llama-cpp";
import type { LaneRequest, LlmBackend, ModelInfo } from "../llm-backend.ts";
import type { PromptInput, RenderedPrompt } from "../prompt.ts";
import type { StitchLane } from "../stitch-lane.ts";
import { readChunkTokens, tokenNames, type CompletionChoice, type TokenNames } from "./completion-logprobs.ts";
import { RemoteLlmError } from "./errors.ts";
import { OpenAiLane } from "./openai-lane.ts";
import { checkOpenAiTokenizer } from "./openai-tokenizer.ts";
import { DEFAULT_REMOTE_TOP_N, FULL_LIST_MAX_VOCAB } from "./remote-lane.ts";
import type { LlamaServerClient } from "./server-client.ts";
import type { DetectedServer, Engine } from "./server-engine.ts";
import { checkServerTokenizer, type LocalTokenizer } from "./server-tokenizer.ts";

/** Request fields that make each engine report token ids rather than only token text. */
export function engineFields(engine: Engine): Record<string, unknown> {
    if (engine === "vllm") return { return_tokens_as_token_ids: true };
    if (engine === "sglang") return { return_token_ids: true };
    if (engine === "llama-server") return { cache_prompt: true };
    return {};
}

/** Log-probabilities wanted per token: the whole vocabulary where small (exact entropy), else the top 64. */
export function wantedTopN(vocabularySize: number): number {
    return vocabularySize <= FULL_LIST_MAX_VOCAB ? vocabularySize : DEFAULT_REMOTE_TOP_N;
}

/** The limit a server states when it refuses a logprobs count ("… max allowed: 20"). */
export function statedLimit(message: string): number | undefined {
    const m = /max(?:imum)?[^0-9]{0,40}?(\d+)/i.exec(message);
    const n = m ? Number(m[1]) : NaN;
    return Number.isInteger(n) && n > 0 ? n : undefined;
}

export class OpenAiLlm implements LlmBackend {
    readonly info: ModelInfo;

    private constructor(
        private readonly client: LlamaServerClient,
        private readonly detected: DetectedServer,
        private readonly name: string,
        readonly contextSize: number,
        private readonly topN: number,
        private readonly names: TokenNames | undefined,
        vocabularySize: number,
    ) {
        this.info = { path: client.url, name: `${name} (${client.url}, ${detected.engine}, OpenAI API)`, vocabularySize };
    }

    static async connect(client: LlamaServerClient, detected: DetectedServer, slm: LlamaModel, vocabularySize: number, signal?: AbortSignal): Promise<OpenAiLlm> {
        const local: LocalTokenizer = {
            vocabularySize,
            tokenize: (text) => slm.tokenize(text),
            detokenize: (tokens) => slm.detokenize(tokens, true),
            bos: slm.tokens.bos,
            eos: slm.tokens.eos,
        };
        let name = detected.model;
        let contextSize = detected.contextSize ?? 0;
        if (detected.engine === "llama-server") {
            const model = await checkServerTokenizer(client, local, signal);
            name = model.name;
            contextSize = model.contextSize;
        } else {
            await checkOpenAiTokenizer(client, detected, local, signal);
        }
        // Only an engine that may name tokens by text needs the text → id table.
        const names = detected.engine === "sglang" || detected.engine === "unknown" ? tokenNames(vocabularySize, (id) => local.detokenize([id as Token])) : undefined;
        const probeToken = (slm.tokens.bos ?? 0) as number;
        const topN = await probeTopN(client, detected, probeToken, wantedTopN(vocabularySize), names, signal);
        return new OpenAiLlm(client, detected, name, contextSize, topN, names, vocabularySize);
    }

    get server(): { url: string; name: string } {
        return { url: this.client.url, name: this.name };
    }

    /** The SLM's end-of-generation tokens are the server's too (one tokenizer, checked on connect). */
    isEndOfGeneration(_token: Token): boolean {
        return false;
    }

    renderPrompt(_input: PromptInput, slm: RenderedPrompt): RenderedPrompt {
        return slm;
    }

    async stitchLane(request: LaneRequest): Promise<StitchLane> {
        return new OpenAiLane({
            client: this.client, model: this.detected.model, vocabularySize: this.info.vocabularySize, topN: this.topN,
            extra: engineFields(this.detected.engine), names: this.names, threshold: request.threshold, budget: request.budget, signal: request.signal,
        });
    }

    async dispose(): Promise<void> {}
}

/** Asks for one token with `want` log-probabilities, then with what the server says it allows; returns the count it accepted. */
async function probeTopN(client: LlamaServerClient, detected: DetectedServer, token: number, want: number, names: TokenNames | undefined, signal?: AbortSignal): Promise<number> {
    let n = want;
    for (let attempt = 0; attempt < 4; attempt++) {
        try {
            const answer = await client.postJson<{ choices?: CompletionChoice[] }>("/v1/completions", {
                ...engineFields(detected.engine), model: detected.model, prompt: [token], max_tokens: 1, temperature: 0, logprobs: n,
            }, signal);
            const choice = answer.choices?.[0];
            const tokens = choice ? readChunkTokens(choice, names, `The LLM server at ${client.url}`) : [];
            if (tokens.length === 0 || tokens[0].listed.length === 0) {
                throw new RemoteLlmError("bad-answer", `The LLM server at ${client.url} returns no log-probabilities on /v1/completions; R-Stitch needs them to measure the LLM's uncertainty (logprobs=${n}).`);
            }
            return n;
        } catch (e) {
            if (!(e instanceof RemoteLlmError) || e.code !== "http" || !/HTTP 4(00|22)/.test(e.message)) throw e;
            const stated = statedLimit(e.message.replace(/^.*?HTTP 4\d\d: /, ""));
            const next = stated !== undefined && stated < n ? stated : Math.min(n - 1, n > 20 ? 20 : n > 5 ? 5 : 1);
            if (next < 1 || next >= n) throw e;
            n = next;
        }
    }
    throw new RemoteLlmError("bad-answer", `The LLM server at ${client.url} refused every logprobs count R-Stitch tried on /v1/completions.`);
}
