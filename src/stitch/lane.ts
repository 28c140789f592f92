/**
 * One model's lane in the stitched decoder: its context sequence, the tokens of prompt ⊕ output it
 * has not evaluated yet, and the reading of its next-token distribution.
 *
 * node-llama-cpp's evaluate generator yields a prediction that is NOT yet in the KV cache;
 * `next(tokens)` evaluates the given tokens instead of it, in one batch. So discarding a token is
 * simply never feeding it, and catching up on the other model's tokens is one batched call
 * (partial prefill). A lane that is never asked to predict never evaluates anything (lazy prefill).
 */
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import type { EntropyMethod } from "./entropy.ts";
import { keepHeldPrefix } from "./held-prefix.ts";
import type { Source } from "./events.ts";
import { readPrediction, samplingOptions, type Prediction, type Reading } from "./reading.ts";
import type { LaneCounters, StitchLane } from "./stitch-lane.ts";

export type { Prediction } from "./reading.ts";
export type { LaneCounters } from "./stitch-lane.ts";

type MetadataGenerator = AsyncGenerator<{ token: Token; probabilities: Map<Token, number> }, void, void | Token | Token[]>;

export class Lane implements StitchLane {
    private generator: MetadataGenerator | undefined;
    private pending: Token[] = [];
    private lastPredicted: Token | undefined;
    /** The first append: the prompt. */
    private promptLength: number | undefined;
    readonly counters: LaneCounters = { calls: 0, evaluated: 0, prefill: 0, promptPrefill: 0, wallMs: 0 };
    private readonly reading: Reading;

    /**
     * @param reuse keep what `sequence` holds of the prompt from an earlier turn (false: clear it and
     *   read the whole prompt).
     */
    constructor(
        readonly source: Source,
        private readonly sequence: LlamaContextSequence,
        vocabularySize: number,
        method: EntropyMethod,
        topK?: number,
        headMass?: number,
        minRatio?: number,
        private readonly reuse = true,
    ) {
        this.reading = { method, vocabularySize, topK, headMass, minRatio };
    }

    append(tokens: readonly Token[]): void {
        this.promptLength ??= tokens.length;
        this.pending.push(...tokens);
    }

    /** Evaluates the backlog in one batch and reads the distribution of the next position. */
    async predict(): Promise<Prediction> {
        let tokens = this.pending;
        if (tokens.length === 0) throw new Error(`${this.source} lane asked to predict with nothing new to evaluate`);
        this.pending = [];
        const started = performance.now();
        if (!this.generator) {
            // The first evaluation (lazy: a lane never asked reads nothing) starts after what the sequence still holds.
            const kept = await keepHeldPrefix(this.sequence, tokens, this.reuse);
            this.counters.promptPrefill = Math.max(0, (this.promptLength ?? 0) - kept);
            tokens = tokens.slice(kept);
        }
        const own = this.lastPredicted !== undefined && tokens[0] === this.lastPredicted ? 1 : 0;
        this.counters.calls++;
        this.counters.evaluated += tokens.length;
        this.counters.prefill += tokens.length - own;

        let result: IteratorResult<{ token: Token; probabilities: Map<Token, number> }, void>;
        if (!this.generator) {
            this.generator = this.sequence.evaluateWithMetadata(tokens, { probabilities: true }, { ...samplingOptions(this.reading), yieldEogToken: true } as never) as MetadataGenerator;
            result = await this.generator.next();
        } else {
            result = await this.generator.next(tokens);
        }
        this.counters.wallMs += performance.now() - started;
        if (result.done) throw new Error(`${this.source} model stopped producing predictions (context full?)`);

        const { token, probabilities } = result.value;
        this.lastPredicted = undefined;
        return readPrediction(this.reading, token, probabilities);
    }

    /** Records that this lane's prediction was kept as `token` (so feeding it back is a decode, not prefill). */
    chose(token: Token): void {
        this.lastPredicted = token;
    }

    async close(): Promise<void> {
        const g = this.generator;
        this.generator = undefined;
        this.pending = [];
        if (g) await g.return(undefined);
    }
}

