/**
 * The alternative a user would otherwise pick (mode `nlc-speculative`, a benchmark peer): speculative
 * decoding with the SLM as the draft model, through node-llama-cpp's own DraftSequenceTokenPredictor.
 * Every kept token is the LLM's, so the greedy output equals LLM-only decoding; only the speed differs.
 */
import type { LlamaContext, LlamaContextSequence, Token } from "node-llama-cpp";
import { normalisedEntropy, type EntropyMethod } from "./entropy.ts";
import type { Mode, StitchEvent, StitchStats, StopReason } from "./events.ts";
import type { InProcessModel } from "./llm-backend.ts";
import { Output } from "./output.ts";
import type { NodeLlamaCpp } from "./runtime.ts";
import type { DecodeRun } from "./stitcher.ts";

/** Each draft length holds a second context per model; the benchmark alternates a few, the CLI uses one. */
const MAX_DRAFT_LENGTHS = 3;

interface Contexts {
    draftContext: LlamaContext;
    targetContext: LlamaContext;
    /** The LLM's sequence, carrying the SLM draft predictor. */
    target: LlamaContextSequence;
}

/** This engine's own contexts for one pair, made on first use per draft length. */
export class DraftPredictorContexts {
    private readonly byDraft = new Map<number, Contexts>();

    constructor(private readonly lib: NodeLlamaCpp, private readonly slm: InProcessModel, private readonly llm: InProcessModel) {}

    /** The LLM's sequence with a predictor drafting `draftTokens`, cleared for a new solve. */
    async target(draftTokens: number): Promise<LlamaContextSequence> {
        let spec = this.byDraft.get(draftTokens);
        if (!spec) {
            if (this.byDraft.size >= MAX_DRAFT_LENGTHS) await this.drop(this.byDraft.keys().next().value!);
            const draftContext = await this.slm.createContext();
            const targetContext = await this.llm.createContext();
            // minTokens = maxTokens and no confidence floor: it drafts the full length every time (with the
            // defaults, minTokens 0 and minConfidence 0.6, it stopped after a token or two and barely drafted).
            const predictor = new this.lib.DraftSequenceTokenPredictor(draftContext.getSequence(), {
                minTokens: draftTokens, maxTokens: draftTokens, minConfidence: 0,
            });
            spec = { draftContext, targetContext, target: targetContext.getSequence({ tokenPredictor: predictor }) };
            this.byDraft.set(draftTokens, spec);
        }
        await spec.target.clearHistory();
        return spec.target;
    }

    private async drop(draftTokens: number): Promise<void> {
        const spec = this.byDraft.get(draftTokens);
        this.byDraft.delete(draftTokens);
        if (!spec) return;
        await spec.targetContext.dispose();
        await spec.draftContext.dispose();
    }

    async dispose(): Promise<void> {
        for (const d of [...this.byDraft.keys()]) await this.drop(d);
    }
}

export interface SpeculativeRun extends DecodeRun {
    mode: Mode;
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
        mode: run.mode,
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
        // Its own contexts start empty every solve: both models read the whole conversation.
        prompt: { ...run.prompt, prefill: { slm: run.promptTokens.length, llm: run.promptTokens.length } },
    };
    yield { type: "done", text: output.fullText, stopReason, stats };
}
