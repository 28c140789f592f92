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
import { DEFAULT_HEAD_MASS, DEFAULT_MIN_RATIO, DEFAULT_TOP_K, headTailEntropy, normalisedEntropy, type EntropyMethod } from "./entropy.ts";
import type { Source } from "./events.ts";
import type { Distribution } from "./sampler.ts";

export interface Prediction {
    distribution: Distribution;
    entropy: number;
    /** The argmax token: node-llama-cpp's own greedy choice (exact reading), else the list's top. */
    greedy: number;
}

export interface LaneCounters {
    /** Forward passes (one per prediction). */
    calls: number;
    /** Tokens evaluated in total. */
    evaluated: number;
    /** Of those, tokens this lane did not itself just predict (prompt and the other model's). */
    prefill: number;
    wallMs: number;
}

type MetadataGenerator = AsyncGenerator<{ token: Token; probabilities: Map<Token, number> }, void, void | Token | Token[]>;

export class Lane {
    private generator: MetadataGenerator | undefined;
    private pending: Token[] = [];
    private lastPredicted: Token | undefined;
    readonly counters: LaneCounters = { calls: 0, evaluated: 0, prefill: 0, wallMs: 0 };

    constructor(
        readonly source: Source,
        private readonly sequence: LlamaContextSequence,
        private readonly vocabularySize: number,
        private readonly method: EntropyMethod,
        private readonly topK = DEFAULT_TOP_K,
        private readonly headMass = DEFAULT_HEAD_MASS,
        private readonly minRatio = DEFAULT_MIN_RATIO,
    ) {}

    append(tokens: readonly Token[]): void {
        this.pending.push(...tokens);
    }

    /** Evaluates the backlog in one batch and reads the distribution of the next position. */
    async predict(): Promise<Prediction> {
        const tokens = this.pending;
        if (tokens.length === 0) throw new Error(`${this.source} lane asked to predict with nothing new to evaluate`);
        this.pending = [];
        const own = this.lastPredicted !== undefined && tokens[0] === this.lastPredicted ? 1 : 0;
        this.counters.calls++;
        this.counters.evaluated += tokens.length;
        this.counters.prefill += tokens.length - own;

        const started = performance.now();
        let result: IteratorResult<{ token: Token; probabilities: Map<Token, number> }, void>;
        if (!this.generator) {
            this.generator = this.sequence.evaluateWithMetadata(tokens, { probabilities: true }, this.samplingOptions()) as MetadataGenerator;
            result = await this.generator.next();
        } else {
            result = await this.generator.next(tokens);
        }
        this.counters.wallMs += performance.now() - started;
        if (result.done) throw new Error(`${this.source} model stopped producing predictions (context full?)`);

        const { token, probabilities } = result.value;
        this.lastPredicted = undefined;
        if (this.method === "exact") {
            return { distribution: probabilities, entropy: normalisedEntropy(probabilities.values(), this.vocabularySize), greedy: token };
        }
        const greedy = listArgmax(probabilities);
        const entropy = this.method === "tail"
            ? headTailEntropy([...probabilities.values()], this.headMass, this.vocabularySize, this.minRatio)
            : normalisedEntropy(probabilities.values(), this.vocabularySize);
        return { distribution: probabilities, entropy, greedy };
    }

    /**
     * What node-llama-cpp samples with. The tail reading switches topK off (null survives its defaults
     * and removes the sampler) so that top-p sees the whole vocabulary; the token it samples at
     * temperature 1 is never used: the decoder picks from the list itself.
     */
    private samplingOptions(): Record<string, unknown> {
        switch (this.method) {
            case "exact":
                return { temperature: 0, yieldEogToken: true };
            case "tail":
                return { temperature: 1, topK: null, topP: this.headMass, minP: this.minRatio, yieldEogToken: true };
            case "topk":
                return { temperature: 1, topK: this.topK, topP: 1, minP: 0, yieldEogToken: true };
        }
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
