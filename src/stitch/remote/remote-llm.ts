/**
 * The LLM in llama-server, behind the pair's LlmBackend seam. Connected once, when a pair is loaded:
 * the server must answer and share the SLM's tokenizer, so it is fed the SLM's rendering of a prompt.
 */
import type { LlamaModel, Token } from "node-llama-cpp";
import type { LaneRequest, LlmBackend, ModelInfo } from "../llm-backend.ts";
import type { PromptInput, RenderedPrompt } from "../prompt.ts";
import type { StitchLane } from "../stitch-lane.ts";
import { RemoteLane, type ServerSlot } from "./remote-lane.ts";
import { LlamaServerClient, type ServerSettings } from "./server-client.ts";
import { checkServerTokenizer, type ServerModel } from "./server-tokenizer.ts";

export class RemoteLlm implements LlmBackend {
    readonly info: ModelInfo;
    /** The conversation the server's slot holds between turns (its prompt cache does the reuse). */
    private readonly slot: ServerSlot = { holds: [] };

    private constructor(private readonly client: LlamaServerClient, private readonly model: ServerModel) {
        this.info = { path: client.url, name: `${model.name} (${client.url})`, vocabularySize: model.vocabularySize };
    }

    /** Throws RemoteLlmError when the server cannot be reached or its tokenizer is not the SLM's. */
    static async connect(settings: ServerSettings, slm: LlamaModel, vocabularySize: number, signal?: AbortSignal): Promise<RemoteLlm> {
        const client = new LlamaServerClient(settings);
        const server = await checkServerTokenizer(client, {
            vocabularySize,
            tokenize: (text) => slm.tokenize(text),
            detokenize: (tokens) => slm.detokenize(tokens, true),
            bos: slm.tokens.bos,
            eos: slm.tokens.eos,
        }, signal);
        return new RemoteLlm(client, server);
    }

    get server(): { url: string; name: string } {
        return { url: this.client.url, name: this.model.name };
    }

    get contextSize(): number {
        return this.model.contextSize;
    }

    /** The SLM's end-of-generation tokens are the server's too (one tokenizer, checked on connect). */
    isEndOfGeneration(_token: Token): boolean {
        return false;
    }

    renderPrompt(_input: PromptInput, slm: RenderedPrompt): RenderedPrompt {
        return slm;
    }

    async stitchLane(request: LaneRequest): Promise<StitchLane> {
        return new RemoteLane({ client: this.client, vocabularySize: this.info.vocabularySize, threshold: request.threshold, budget: request.budget, signal: request.signal, slot: this.slot, reuse: request.reuse });
    }

    async dispose(): Promise<void> {}
}
