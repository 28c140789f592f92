/**
 * How a lane reads a model's next-token distribution from node-llama-cpp, one place for both lanes
 * (the generator lane of plain R-Stitch and the controlledEvaluate lane of the speculative modes):
 * which sampling options to ask with, and how to turn what comes back into the greedy token and the
 * normalised entropy the router sees.
 */
import type { Token } from "node-llama-cpp";
import { DEFAULT_HEAD_MASS, DEFAULT_MIN_RATIO, DEFAULT_TOP_K, headTailEntropy, normalisedEntropy, type EntropyMethod } from "./entropy.ts";
import type { Distribution } from "./sampler.ts";

export interface Prediction {
    distribution: Distribution;
    entropy: number;
    /** The argmax token: node-llama-cpp's own greedy choice (exact reading), else the list's top. */
    greedy: number;
}

export interface Reading {
    method: EntropyMethod;
    /** This model's own vocabulary size (H is normalised by its log). */
    vocabularySize: number;
    topK?: number;
    headMass?: number;
    minRatio?: number;
}

/**
 * What node-llama-cpp samples with. The tail reading switches topK off (null survives its defaults
 * and removes the sampler) so that top-p sees the whole vocabulary; the token it samples at
 * temperature 1 is never used: the decoder picks from the list itself.
 */
export function samplingOptions(r: Reading): { temperature: number; topK?: number | null; topP?: number; minP?: number } {
    switch (r.method) {
        case "exact":
            return { temperature: 0 };
        case "tail":
            return { temperature: 1, topK: null, topP: r.headMass ?? DEFAULT_HEAD_MASS, minP: r.minRatio ?? DEFAULT_MIN_RATIO };
        case "topk":
            return { temperature: 1, topK: r.topK ?? DEFAULT_TOP_K, topP: 1, minP: 0 };
    }
}

/** The prediction from what node-llama-cpp returned: its sampled token and the probability list. */
export function readPrediction(r: Reading, sampled: Token, probabilities: Map<Token, number>): Prediction {
    if (r.method === "exact") {
        return { distribution: probabilities, entropy: normalisedEntropy(probabilities.values(), r.vocabularySize), greedy: sampled };
    }
    const greedy = listArgmax(probabilities);
    const entropy = r.method === "tail"
        ? headTailEntropy([...probabilities.values()], r.headMass ?? DEFAULT_HEAD_MASS, r.vocabularySize, r.minRatio ?? DEFAULT_MIN_RATIO)
        : normalisedEntropy(probabilities.values(), r.vocabularySize);
    return { distribution: probabilities, entropy, greedy };
}

/**
 * The greedy token of a list sorted by logit (node-llama-cpp's order): its first entry, or among
 * entries tied with it the lowest id, which is what llama.cpp's greedy sampler picks.
 */
export function listArgmax(list: ReadonlyMap<number, number>): number {
    let best = -1;
    let top = -1;
    for (const [token, p] of list) {
        if (best < 0) {
            best = token;
            top = p;
        } else if (p === top) {
            if (token < best) best = token;
        } else {
            break;
        }
    }
    return best;
}
