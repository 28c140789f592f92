/**
 * The alternative a user would otherwise pick: speculative decoding with the SLM as the draft model,
 * through node-llama-cpp's own DraftSequenceTokenPredictor. Every kept token is the LLM's, so the
 * output equals LLM-only greedy decoding; only the speed differs.
 */
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import { normalisedEntropy, type EntropyMethod } from "./entropy.ts";
import type { StitchEvent, StitchStats, StopReason, TokenEvent } from "./events.ts";
import { StopDetector } from "./stop-detector.ts";

export interface SpeculativeRun {
    sequence: LlamaContextSequence;
    promptTokens: Token[];
    vocabularySize: number;
    /** Exact entropy is read where affordable; with the top-k estimate entropy is reported as -1 (not measured). */
    entropy: EntropyMethod;
    budget: number;
    temperature: number;
    seed: number;
    isEndOfGeneration(token: Token): boolean;
    tokenText(token: Token, previous: readonly Token[]): string;
    stopTriggers: readonly string[];
    signal?: AbortSignal;
}

type Step = { token: Token; probabilities?: Map<Token, number> };

export async function* speculate(run: SpeculativeRun): AsyncGenerator<StitchEvent, void> {
    const started = performance.now();
    const output: Token[] = [];
    const emitted: TokenEvent[] = [];
    const detector = new StopDetector<TokenEvent>(run.stopTriggers, (e) => e.text);
    const sampling = { temperature: run.temperature, seed: run.seed, yieldEogToken: true };
    const generator = (run.entropy === "exact"
        ? run.sequence.evaluateWithMetadata(run.promptTokens, { probabilities: true }, sampling)
        : run.sequence.evaluateWithMetadata(run.promptTokens, {}, sampling)) as AsyncGenerator<Step, void, void | Token | Token[]>;
    let stopReason: StopReason = "budget";
    try {
        let step = await generator.next();
        while (!step.done && output.length < run.budget) {
            const { token, probabilities } = step.value;
            if (run.isEndOfGeneration(token)) {
                stopReason = "eog";
                break;
            }
            const text = run.tokenText(token, output);
            output.push(token);
            const entropy = probabilities ? normalisedEntropy(probabilities.values(), run.vocabularySize) : -1;
            const check = detector.push({ type: "token", index: output.length - 1, id: token, text, source: "llm", entropy });
            for (const e of check.release) {
                emitted.push(e);
                yield e;
            }
            if (check.stopped) {
                stopReason = "stopTrigger";
                break;
            }
            if (run.signal?.aborted) {
                stopReason = "abort";
                break;
            }
            if (output.length >= run.budget) break;
            step = await generator.next();
        }
        if (stopReason !== "stopTrigger") {
            for (const e of detector.flush()) {
                emitted.push(e);
                yield e;
            }
        }
    } finally {
        await generator.return(undefined);
    }

    const wallMs = performance.now() - started;
    const predictions = run.sequence.tokenPredictions;
    const total = emitted.length;
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
        draft: { proposed: predictions.validated + predictions.refuted, accepted: predictions.validated },
    };
    yield { type: "done", text: emitted.map((e) => e.text).join(""), stopReason, stats };
}
