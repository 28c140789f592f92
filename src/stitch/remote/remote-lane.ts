/**
 * The LLM's lane when the LLM runs in llama-server (docs/ARCHITECTURE.md §3: the stitcher does not know the
 * difference). One LLM turn is one streaming `/completion` request:
 *  - its prompt is prompt ⊕ output so far as token ids, so the server's prompt cache (longest common
 *    prefix with what the slot last held) makes it the partial prefill of the local lane;
 *  - every streamed token comes with the server's pre-sampling top-N probabilities, from which the
 *    normalised entropy is bounded (top-n-entropy.ts);
 *  - the lane closes the stream as soon as a token routes back to the SLM (H ≤ τ); whatever the
 *    server generated after it is never read (it is discarded, like a local lane's unfed prediction).
 * Entropy used for routing is the UPPER bound: the LLM hands back only when H ≤ τ holds for every
 * possible tail. With the full vocabulary requested (V ≤ FULL_LIST_MAX_VOCAB, the demo pair) the
 * bounds meet and H is the exact full-vocabulary entropy, as in the local exact path.
 */
import type { Token } from "node-llama-cpp";
import type { LaneCounters, Prediction } from "../lane.ts";
import type { RemoteCounters } from "../events.ts";
import { route } from "../router.ts";
import type { StitchLane } from "../stitch-lane.ts";
import { RemoteLlmError } from "./errors.ts";
import type { LlamaServerClient } from "./server-client.ts";
import { entropyBounds } from "./top-n-entropy.ts";

/** Up to this vocabulary size the lane asks for every token's probability (exact entropy). */
export const FULL_LIST_MAX_VOCAB = 1024;
/** Otherwise: this many top probabilities per token, plus the exact tail mass they imply. */
export const DEFAULT_REMOTE_TOP_N = 64;

interface ProbabilityEntry {
    id: number;
    logprob: number;
}

interface StreamedToken extends ProbabilityEntry {
    top_logprobs: ProbabilityEntry[];
}

/** One `/completion` stream event (llama-server's own format, not the OpenAI one). */
export interface CompletionEvent {
    tokens?: number[];
    stop?: boolean;
    stop_type?: string;
    tokens_predicted?: number;
    completion_probabilities?: StreamedToken[];
    truncated?: boolean;
    /** The slot that served the request (final events; -1 in partial ones). */
    id_slot?: number;
}

/**
 * What the server's slot holds between turns, kept by the backend across lanes: a follow-up's
 * request shares its conversation's prefix, so with `cache_prompt` on the same slot the server
 * evaluates only the rest (and the prefill count says so).
 */
export interface ServerSlot {
    /** Tokens the slot holds, as far as the lanes can tell. */
    holds: number[];
    /** The slot the server last reported; requests ask for it (unknown: the server picks by prefix similarity). */
    id?: number;
}

/** A token the server wrote, with what it said about the distribution (undefined: nothing was reported). */
interface Upcoming {
    id: number;
    probabilities?: ProbabilityEntry[];
}

export interface RemoteLaneOptions {
    client: LlamaServerClient;
    vocabularySize: number;
    /** The run's effective τ: the stream closes at the first token that routes back to the SLM. */
    threshold: number;
    /** Tokens of output the run may still write in total (the stream never asks for more). */
    budget: number;
    topN?: number;
    signal?: AbortSignal;
    /** Shared with the lanes of earlier turns (absent: a fresh slot each time). */
    slot?: ServerSlot;
    /** false: the server's prompt cache is not used (every request evaluates its whole prompt). */
    reuse?: boolean;
}

export class RemoteLane implements StitchLane {
    readonly source = "llm" as const;
    readonly counters: LaneCounters = { calls: 0, evaluated: 0, prefill: 0, promptPrefill: 0, wallMs: 0 };
    readonly remote: RemoteCounters = { requests: 0, firstTokenMs: 0, unreported: 0 };

    /** prompt ⊕ output as appended by the stitcher. */
    private readonly context: Token[] = [];
    private promptLength: number | undefined;
    private readonly slot: ServerSlot;
    private stream: AsyncGenerator<CompletionEvent, void, undefined> | undefined;
    /** Tokens already known for the positions after the context (from a non-streamed request). */
    private buffered: Upcoming[] = [];
    /** Context length the stream's or buffer's next token belongs to. */
    private nextPosition = -1;
    private streamPredicted = 0;
    private readonly topN: number;

    constructor(private readonly options: RemoteLaneOptions) {
        this.topN = options.vocabularySize <= FULL_LIST_MAX_VOCAB ? options.vocabularySize : (options.topN ?? DEFAULT_REMOTE_TOP_N);
        this.slot = options.slot ?? { holds: [] };
        if (options.reuse === false) this.slot.holds = [];
    }

    append(tokens: readonly Token[]): void {
        // The first append is the prompt (the stitcher appends it before any output).
        this.promptLength ??= tokens.length;
        this.context.push(...tokens);
    }

    async predict(): Promise<Prediction> {
        const started = performance.now();
        try {
            const next = await this.nextToken();
            this.counters.calls++;
            const listed = next.probabilities ?? [{ id: next.id, logprob: 0 }];
            const distribution = new Map<number, number>(listed.map((e) => [e.id, Math.exp(e.logprob)]));
            // No probabilities reported: the position stays the LLM's (H taken as 1, never a hand-back).
            const entropy = next.probabilities ? entropyBounds([...distribution.values()], this.options.vocabularySize).upper : 1;
            if (route("llm", entropy, this.options.threshold).next === "slm") await this.closeStream();
            return { distribution, entropy, greedy: next.id };
        } finally {
            this.counters.wallMs += performance.now() - started;
        }
    }

    chose(): void {
        // The server already holds its own token; nothing to record.
    }

    async close(): Promise<void> {
        await this.closeStream();
        this.buffered = [];
    }

    /** The server's token for the position after the context: from the open stream when it still fits, else a new request. */
    private async nextToken(): Promise<Upcoming> {
        // Continue only if the context grew by exactly the token this lane gave (sampling may pick another).
        if (this.nextPosition !== this.context.length || this.context[this.context.length - 1] !== this.lastGiven) {
            await this.closeStream();
            this.buffered = [];
        }
        if (this.buffered.length > 0) {
            this.nextPosition++;
            return this.give(this.buffered.shift()!);
        }
        if (!this.stream) await this.open();
        const event = await this.readTokenEvent();
        const streamed = event.completion_probabilities![0];
        const predicted = event.tokens_predicted ?? this.streamPredicted + 1;
        const skipped = predicted - this.streamPredicted - 1;
        this.streamPredicted = predicted;
        if (skipped > 0) {
            // llama-server withholds the event of a token whose text ends inside a UTF-8 character and
            // reports the next one only; its probabilities are never sent. Fetch the ids and go on.
            return this.recoverSkipped(skipped, streamed);
        }
        if (predicted > 1) this.counters.evaluated++;
        this.nextPosition++;
        this.slot.holds.push(streamed.id);
        return this.give({ id: streamed.id, probabilities: streamed.top_logprobs });
    }

    private async open(): Promise<void> {
        const prompt = [...this.context];
        const remaining = this.options.budget - (prompt.length - (this.promptLength ?? 0));
        if (remaining < 1) throw new RemoteLlmError("bad-answer", "The remote LLM was asked for a token past the token budget.");
        // A busy server is waited for only while the answer has nothing written yet.
        const mayWait = this.remote.requests === 0 && prompt.length === this.promptLength;
        this.countPrefill(prompt);
        this.remote.requests++;
        this.stream = this.options.client.stream<CompletionEvent>("/completion", this.body(prompt, remaining), this.options.signal, { mayWait });
        this.nextPosition = prompt.length;
        this.streamPredicted = 0;
        const sent = performance.now();
        this.firstTokenPending = sent;
    }

    private firstTokenPending: number | undefined;
    private lastGiven: number | undefined;

    private give(token: Upcoming): Upcoming {
        this.lastGiven = token.id;
        return token;
    }

    private body(prompt: number[], nPredict: number): Record<string, unknown> {
        return {
            prompt,
            n_predict: nPredict,
            n_probs: this.topN,
            post_sampling_probs: false,
            temperature: 0,
            cache_prompt: this.options.reuse !== false,
            ...(this.slot.id !== undefined ? { id_slot: this.slot.id } : {}),
            return_tokens: true,
        };
    }

    /** Reads stream events up to the next one that carries a token. */
    private async readTokenEvent(): Promise<CompletionEvent> {
        for (;;) {
            const result = await this.stream!.next();
            if (this.firstTokenPending !== undefined) {
                this.remote.firstTokenMs += performance.now() - this.firstTokenPending;
                this.firstTokenPending = undefined;
            }
            if (result.done) {
                this.stream = undefined;
                throw new RemoteLlmError("stream-dropped", `The LLM server at ${this.options.client.url} ended the answer stream early (after ${this.streamPredicted} tokens of this turn, without a final event).`);
            }
            const event = result.value;
            if (event.id_slot !== undefined && event.id_slot >= 0) this.slot.id = event.id_slot;
            if (event.completion_probabilities?.length) return event;
            if (event.stop) {
                await this.closeStream();
                const why = event.stop_type === "limit" || event.truncated
                    ? "its context is full (start llama-server with a larger -c, or ask for a shorter answer)"
                    : `it stopped (${event.stop_type ?? "no reason given"}) before the token R-Stitch needs`;
                throw new RemoteLlmError("bad-answer", `The LLM server at ${this.options.client.url} ended the answer: ${why}.`);
            }
        }
    }

    private async recoverSkipped(skipped: number, reported: StreamedToken): Promise<Upcoming> {
        await this.closeStream();
        const prompt = [...this.context];
        this.countPrefill(prompt);
        this.remote.requests++;
        const answer = await this.options.client.postJson<{ tokens?: number[]; id_slot?: number }>("/completion", { ...this.body(prompt, skipped + 1), n_probs: 0 }, this.options.signal, { mayWait: false });
        if (answer.id_slot !== undefined && answer.id_slot >= 0) this.slot.id = answer.id_slot;
        const ids = answer.tokens ?? [];
        if (ids.length !== skipped + 1 || ids[skipped] !== reported.id) {
            throw new RemoteLlmError("bad-answer", `The LLM server at ${this.options.client.url} gave different tokens for the same position on a second request (greedy decoding should repeat itself).`);
        }
        this.remote.unreported += skipped;
        this.slot.holds.push(...ids);
        this.buffered = [...ids.slice(0, skipped).map((id) => ({ id })), { id: reported.id, probabilities: reported.top_logprobs }];
        this.nextPosition = prompt.length + 1;
        return this.give(this.buffered.shift()!);
    }

    /** Tokens of this prompt the server's cache does not hold yet: the partial prefill. */
    private countPrefill(prompt: number[]): void {
        const holds = this.slot.holds;
        let common = 0;
        while (common < prompt.length && common < holds.length && prompt[common] === holds[common]) common++;
        // llama-server re-evaluates at least the last prompt token to get its logits.
        const kept = Math.min(common, prompt.length - 1);
        const evaluated = prompt.length - kept;
        this.counters.evaluated += evaluated;
        this.counters.prefill += evaluated;
        if (this.remote.requests === 0) this.counters.promptPrefill = Math.max(0, (this.promptLength ?? 0) - kept);
        this.slot.holds = [...prompt];
    }

    private async closeStream(): Promise<void> {
        const stream = this.stream;
        this.stream = undefined;
        this.nextPosition = -1;
        if (stream) await stream.return(undefined);
    }
}
