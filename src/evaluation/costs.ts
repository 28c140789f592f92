/**
 * Measures what each model's work costs on this machine, for the benchmark's cost model: a one-token
 * decode step (read the way the decoder reads it) and batched prefill per token.
 */
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import { chooseEntropyMethod, type EntropyMethod, type EntropySetting } from "../stitch/entropy.ts";
import { Lane } from "../stitch/lane.ts";
import type { InProcessModel } from "../stitch/llm-backend.ts";
import type { ModelPair } from "../stitch/pair.ts";

export interface ModelCost {
    /** ms for one forward pass on one new token, including reading the distribution. */
    decodeMs: number;
    /** ms per token when tokens are evaluated in one batch. */
    prefillMsPerToken: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Per-token costs of both models of a local pair; not while a solve runs. */
export async function measureCosts(pair: ModelPair, sampleText: string, entropy?: EntropySetting): Promise<{ slm: ModelCost; llm: ModelCost }> {
    const sample = pair.tokenize(sampleText.repeat(Math.ceil(256 / Math.max(1, sampleText.length)))).slice(0, 128);
    return pair.withModels(async ({ slm, llm }) => {
        if (!llm.local) throw new Error("The LLM runs on a server; its per-token cost is not measured locally.");
        const cost = (m: InProcessModel) => measureCost(m.sequence, m.info.vocabularySize, chooseEntropyMethod(m.info.vocabularySize, entropy), sample);
        return { slm: await cost(slm), llm: await cost(llm.local) };
    });
}

async function measureCost(
    sequence: LlamaContextSequence, vocabularySize: number, method: EntropyMethod, sample: Token[],
    { decodeSteps = 48, repeats = 3 } = {},
): Promise<ModelCost> {
    const prefill: number[] = [];
    const decode: number[] = [];
    for (let r = 0; r < repeats; r++) {
        await sequence.clearHistory();
        let t = performance.now();
        await sequence.evaluateWithoutGeneratingNewTokens(sample);
        prefill.push((performance.now() - t) / sample.length);

        await sequence.clearHistory();
        const lane = new Lane("llm", sequence, vocabularySize, method);
        lane.append(sample.slice(0, 8));
        let p = await lane.predict();
        t = performance.now();
        for (let i = 0; i < decodeSteps; i++) {
            const token = p.greedy as Token;
            lane.chose(token);
            lane.append([token]);
            p = await lane.predict();
        }
        decode.push((performance.now() - t) / decodeSteps);
        await lane.close();
    }
    await sequence.clearHistory();
    return { decodeMs: median(decode), prefillMsPerToken: median(prefill) };
}
