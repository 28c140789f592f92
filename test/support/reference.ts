/**
 * An independent reference for the decoder tests: each model alone, driven directly through
 * node-llama-cpp token by token over a given prefix, with none of the stitcher's machinery.
 */
import { getLlama, resolveChatWrapper, type LlamaModel, type Token } from "node-llama-cpp";
import { defaultFlashAttention } from "../../src/stitch/defaults.ts";
import { normalisedEntropy } from "../../src/stitch/entropy.ts";

/** The same attention kernels as the pair under test (loadPair's default on the CPU): the reference differs only in driving. */
const CONTEXT = { contextSize: 1024, threads: 1, flashAttention: defaultFlashAttention(0) ?? false };

export interface Reading {
    greedy: number;
    entropy: number;
}

export class Reference {
    private constructor(readonly model: LlamaModel, private readonly vocab: number) {}

    static async load(path: string): Promise<Reference> {
        const llama = await getLlama({ gpu: false, build: "never", logLevel: "error" as never });
        const model = await llama.loadModel({ modelPath: path });
        return new Reference(model, model.tokens ? model.fileInfo.metadata.tokenizer.ggml.tokens.length : 0);
    }

    promptTokens(prompt: string): Token[] {
        const wrapper = resolveChatWrapper(this.model)!;
        const state = wrapper.generateContextState({ chatHistory: [{ type: "user", text: prompt }, { type: "model", response: [] }] });
        return state.contextText.tokenize(this.model.tokenizer);
    }

    /** Greedy decoding, as node-llama-cpp itself does it (stops at end-of-generation). */
    async greedy(prompt: string, budget: number): Promise<number[]> {
        const context = await this.model.createContext(CONTEXT);
        try {
            const seq = context.getSequence();
            const out: number[] = [];
            for await (const token of seq.evaluate(this.promptTokens(prompt), { temperature: 0, yieldEogToken: true })) {
                if (this.model.isEogToken(token) || out.length >= budget) break;
                out.push(token);
            }
            return out;
        } finally {
            await context.dispose();
        }
    }

    /** This model's reading at every position of the given output, fed one token at a time. */
    async readings(prompt: string, output: readonly number[]): Promise<Reading[]> {
        const context = await this.model.createContext(CONTEXT);
        try {
            const seq = context.getSequence();
            const gen = seq.evaluateWithMetadata(this.promptTokens(prompt), { probabilities: true }, { temperature: 0, yieldEogToken: true });
            const out: Reading[] = [];
            let step = await gen.next();
            for (let i = 0; i <= output.length && !step.done; i++) {
                out.push({ greedy: step.value.token, entropy: normalisedEntropy(step.value.probabilities.values(), this.vocab) });
                if (i === output.length) break;
                step = await gen.next([output[i] as Token]);
            }
            await gen.return();
            return out;
        } finally {
            await context.dispose();
        }
    }

    async dispose(): Promise<void> {
        await this.model.dispose();
    }
}
