/**
 * A lane driven by `controlledEvaluate` instead of the evaluate generator: one forward pass can read
 * the model's next-token prediction after every token of a batch (draft verification), and the KV
 * cache can be cut back to any length (rejected drafts). Used by the draft-verify engine; the plain
 * R-Stitch loop keeps its generator lane (lane.ts).
 */
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import type { EntropyMethod } from "./entropy.ts";
import { keepHeldPrefix } from "./held-prefix.ts";
import type { Source } from "./events.ts";
import { readPrediction, samplingOptions, type Prediction, type Reading } from "./reading.ts";
import type { LaneCounters, VerifyLane } from "./stitch-lane.ts";

type Item = Parameters<LlamaContextSequence["controlledEvaluate"]>[0][number];
// topK: null (the tail reading) passes node-llama-cpp's defaults and removes the sampler, as in evaluate().
type GenerateNext = { token?: boolean; probabilities?: boolean; options?: object };

export class BatchLane implements VerifyLane {
    /** Tokens in the KV cache, in order (a mirror of the sequence's context). */
    private readonly kv: Token[] = [];
    private pending: Token[] = [];
    private lastPredicted: Token | undefined;
    /** The prediction after the last evaluated token, while nothing was appended or cut since. */
    private latest: Prediction | undefined;
    readonly counters: LaneCounters = { calls: 0, evaluated: 0, prefill: 0, promptPrefill: 0, wallMs: 0 };
    private readonly reading: Reading;
    /** The first append: the prompt. */
    private promptLength: number | undefined;
    private started = false;

    /**
     * @param readEntropy false: read only the greedy token (entropy reported as -1), which is all a
     *   drafting model needs and skips building the probability map.
     */
    constructor(
        readonly source: Source,
        private readonly sequence: LlamaContextSequence,
        vocabularySize: number,
        method: EntropyMethod,
        private readonly readEntropy: boolean,
        topK?: number,
        /** Keep what the sequence holds of the prompt from an earlier turn (false: clear it). */
        private readonly reuse = true,
    ) {
        this.reading = { method, vocabularySize, topK };
    }

    /** Tokens this lane holds: evaluated plus pending. */
    get length(): number {
        return this.kv.length + this.pending.length;
    }

    append(tokens: readonly Token[]): void {
        this.promptLength ??= tokens.length;
        if (tokens.length) this.latest = undefined;
        this.pending.push(...tokens);
    }

    /** Records that this lane's own prediction was kept (feeding it back is a decode, not prefill). */
    chose(token: Token): void {
        this.lastPredicted = token;
    }

    /** The prediction after everything this lane holds; when nothing is new, the last one again (no pass). */
    async predict(): Promise<Prediction> {
        if (this.pending.length === 0 && this.latest) return this.latest;
        return (await this.score([]))[0];
    }

    /**
     * Evaluates the backlog and then `draft` in one batch; returns draft.length + 1 predictions: the
     * one after the backlog (for draft[0]'s position) and one after each draft token.
     */
    async score(draft: readonly Token[]): Promise<Prediction[]> {
        if (!this.started && this.pending.length > 0) {
            // The first evaluation starts after what the sequence still holds from an earlier turn.
            this.started = true;
            const kept = await keepHeldPrefix(this.sequence, this.pending, this.reuse);
            this.counters.promptPrefill = Math.max(0, (this.promptLength ?? 0) - kept);
            this.kv.push(...this.pending.slice(0, kept));
            this.pending = this.pending.slice(kept);
        }
        const tokens = [...this.pending, ...draft];
        // Nothing pending: the prediction after the evaluated tokens is already known (`latest`).
        const known = this.pending.length === 0 ? this.latest : undefined;
        if (tokens.length === 0 || (this.pending.length === 0 && !known)) throw new Error(`${this.source} lane asked to predict with nothing new to evaluate`);
        const own = this.lastPredicted !== undefined && tokens[0] === this.lastPredicted ? 1 : 0;
        const first = Math.max(0, this.pending.length - 1);
        const exact = this.reading.method === "exact";
        const generateNext: GenerateNext = { token: true, probabilities: this.readEntropy || !exact, options: samplingOptions(this.reading) };
        const input: Item[] = tokens.map((t, i) => (i >= first ? [t, { generateNext }] : t));

        this.counters.calls++;
        this.counters.evaluated += tokens.length;
        this.counters.prefill += tokens.length - own;
        this.kv.push(...tokens);
        this.pending = [];
        this.lastPredicted = undefined;
        const started = performance.now();
        const outputs = await this.sequence.controlledEvaluate(input);
        this.counters.wallMs += performance.now() - started;

        const predictions: Prediction[] = known ? [known] : [];
        for (let i = first; i < tokens.length; i++) {
            const next = outputs[i]?.next;
            const probabilities = next?.probabilities as Map<Token, number> | undefined;
            const sampled = next?.token as Token | undefined;
            if (sampled === undefined || sampled === null) throw new Error(`${this.source} model returned no prediction (context full?)`);
            predictions.push(probabilities
                ? readPrediction(this.reading, sampled, probabilities)
                : { distribution: new Map([[sampled, 1]]), entropy: -1, greedy: sampled });
        }
        this.latest = predictions[predictions.length - 1];
        return predictions;
    }

    async close(): Promise<void> {
        this.pending = [];
    }

    /** Keeps the first `length` tokens (KV cache and backlog together) and forgets the rest. */
    async rewindTo(length: number): Promise<void> {
        if (length >= this.length) return;
        this.latest = undefined;
        if (length >= this.kv.length) {
            this.pending = this.pending.slice(0, length - this.kv.length);
            return;
        }
        const started = performance.now();
        await this.sequence.eraseContextTokenRanges([{ start: length, end: this.kv.length }]);
        this.counters.wallMs += performance.now() - started;
        this.kv.length = length;
        this.pending = [];
        this.lastPredicted = undefined;
    }
}
