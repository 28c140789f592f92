/**
 * Measures what one model's work costs on this machine, for the benchmark's cost model: a one-token
 * decode step (read the way the decoder reads it) and batched prefill per token.
 */
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import type { EntropyMethod } from "./entropy.ts";
import { Lane } from "./lane.ts";

export interface ModelCost {
    /** ms for one forward pass on one new token, including reading the distribution. */
    decodeMs: number;
    /** ms per token when tokens are evaluated in one batch. */
    prefillMsPerToken: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function measureCost(
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
