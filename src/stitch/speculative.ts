/**
 * The alternative a user would otherwise pick: speculative decoding with the SLM as the draft model,
 * through node-llama-cpp's own DraftSequenceTokenPredictor. Every kept token is the LLM's, so the
 * greedy output equals LLM-only decoding; only the speed differs.
 */
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import { normalisedEntropy, type EntropyMethod } from "./entropy.ts";
import type { StitchEvent, StitchStats, StopReason } from "./events.ts";
import { Output } from "./output.ts";
import type { DecodeRun } from "./stitcher.ts";

export interface SpeculativeRun extends DecodeRun {
    sequence: LlamaContextSequence;
    promptTokens: Token[];
    vocabularySize: number;
    /** Exact entropy is read where affordable; with the top-k estimate entropy is reported as -1 (not measured). */
    entropy: EntropyMethod;
}

type Step = { token: Token; probabilities?: Map<Token, number> };

export async function* speculate(run: SpeculativeRun): AsyncGenerator<StitchEvent, void> {
    const started = performance.now();
    // The predictor's counters run over the sequence's whole life; this decode is the difference.
    const before = { ...run.sequence.tokenPredictions };
    const output = new Output(run.detokenize, run.stopTriggers);
    const sampling = { temperature: run.temperature, seed: run.seed, yieldEogToken: true };
    const generator = (run.entropy === "exact"
        ? run.sequence.evaluateWithMetadata(run.promptTokens, { probabilities: true }, sampling)
        : run.sequence.evaluateWithMetadata(run.promptTokens, {}, sampling)) as AsyncGenerator<Step, void, void | Token | Token[]>;
    let stopReason: StopReason = "budget";
    let length = 0;
    try {
        while (length < run.budget) {
            if (run.signal?.aborted) {
                stopReason = "abort";
                break;
            }
            const step = await generator.next();
            if (step.done) break;
            const { token, probabilities } = step.value;
            if (run.isEndOfGeneration(token)) {
                stopReason = "eog";
                break;
            }
            const entropy = probabilities ? normalisedEntropy(probabilities.values(), run.vocabularySize) : -1;
            yield* output.token({ index: length++, id: token, source: "llm", entropy });
            if (output.stopped) {
                stopReason = "stopTrigger";
                break;
            }
        }
        yield* output.finish();
    } finally {
        await generator.return(undefined);
    }

    const wallMs = performance.now() - started;
    const after = run.sequence.tokenPredictions;
    const validated = after.validated - before.validated;
    const refuted = after.refuted - before.refuted;
    const used = after.used - before.used;
    const total = output.emitted.length;
    const stats: StitchStats = {
        mode: "speculative",
        threshold: 0,
        slm: { tokens: 0, prefillTokens: 0, wallMs: 0, calls: 0 },
        llm: { tokens: total, prefillTokens: run.promptTokens.length, wallMs, calls: 0 },
        totalTokens: total,
        switches: 0,
        discardedSlmTokens: 0,
        llmShare: total ? 1 : 0,
        wallMs,
        tokensPerSecond: wallMs > 0 ? (total * 1000) / wallMs : 0,
        draft: { proposed: validated + refuted, accepted: validated, llmPasses: Math.max(0, total - used) },
    };
    yield { type: "done", text: output.fullText, stopReason, stats };
}
