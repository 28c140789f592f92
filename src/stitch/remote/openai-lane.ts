/**
 * The LLM's lane on an OpenAI-compatible server (`/v1/completions`), as remote-lane.ts is on
 * llama-server's native API: one LLM turn is one streaming request whose prompt is prompt ⊕ output so
 * far as token ids (the engine's prefix cache makes that the partial prefill), each token comes with
 * its top-N log-probabilities, the normalised entropy is their upper bound (top-n-entropy.ts), and the
 * stream is closed at the first token that routes back to the SLM.
 */
import type { Token } from "node-llama-cpp";
import type { RemoteCounters } from "../events.ts";
import type { LaneCounters, Prediction } from "../lane.ts";
import { route } from "../router.ts";
import type { StitchLane } from "../stitch-lane.ts";
import { readChunkTokens, type CompletionChoice, type ReportedToken, type TokenNames } from "./completion-logprobs.ts";
import { RemoteLlmError } from "./errors.ts";
import type { LlamaServerClient } from "./server-client.ts";
import { entropyBounds } from "./top-n-entropy.ts";

export interface CompletionChunk {
    choices?: CompletionChoice[];
}

export interface OpenAiLaneOptions {
    client: LlamaServerClient;
    /** The `model` field of each request. */
    model: string;
    vocabularySize: number;
    /** Log-probabilities asked per token (what the server allows, found on connect). */
    topN: number;
    /** Engine-specific request fields (vLLM: return_tokens_as_token_ids; SGLang: return_token_ids). */
    extra: Record<string, unknown>;
    names?: TokenNames;
    threshold: number;
    budget: number;
    signal?: AbortSignal;
}

export class OpenAiLane implements StitchLane {
    readonly source = "llm" as const;
    readonly counters: LaneCounters = { calls: 0, evaluated: 0, prefill: 0, promptPrefill: 0, wallMs: 0 };
    readonly remote: RemoteCounters = { requests: 0, firstTokenMs: 0, unreported: 0 };

    private readonly context: Token[] = [];
    private promptLength: number | undefined;
    private serverHolds: number[] = [];
    private stream: AsyncGenerator<CompletionChunk, void, undefined> | undefined;
    /** Tokens of the open stream already read but not given yet (a chunk may carry several). */
    private pending: ReportedToken[] = [];
    private nextPosition = -1;
    private givenThisRequest = 0;
    private lastGiven: number | undefined;
    private firstTokenPending: number | undefined;

    constructor(private readonly options: OpenAiLaneOptions) {}

    append(tokens: readonly Token[]): void {
        this.promptLength ??= tokens.length;
        this.context.push(...tokens);
    }

    async predict(): Promise<Prediction> {
        const started = performance.now();
        try {
            const next = await this.nextToken();
            this.counters.calls++;
            // Nothing listed: the position stays the LLM's (H taken as 1, never a hand-back).
            const entropy = next.listed.length > 0 ? entropyBounds(next.listed, this.options.vocabularySize).upper : 1;
            if (next.listed.length === 0) this.remote.unreported++;
            const distribution = next.byId.size > 0 ? next.byId : new Map([[next.id, 1]]);
            if (route("llm", entropy, this.options.threshold).next === "slm") await this.closeStream();
            return { distribution, entropy, greedy: next.id };
        } finally {
            this.counters.wallMs += performance.now() - started;
        }
    }

    chose(): void {}

    async close(): Promise<void> {
        await this.closeStream();
    }

    private async nextToken(): Promise<ReportedToken> {
        // The stream fits only if the context grew by exactly the token this lane gave.
        if (this.nextPosition !== this.context.length || this.context[this.context.length - 1] !== this.lastGiven) await this.closeStream();
        if (!this.stream) this.open();
        while (this.pending.length === 0) await this.readChunk();
        const token = this.pending.shift()!;
        if (this.givenThisRequest++ > 0) this.counters.evaluated++;
        this.nextPosition++;
        this.serverHolds.push(token.id);
        this.lastGiven = token.id;
        return token;
    }

    private open(): void {
        const prompt = [...this.context];
        const remaining = this.options.budget - (prompt.length - (this.promptLength ?? 0));
        if (remaining < 1) throw new RemoteLlmError("bad-answer", "The remote LLM was asked for a token past the token budget.");
        // A busy server is waited for only while the answer has nothing written yet.
        const mayWait = this.remote.requests === 0 && prompt.length === this.promptLength;
        this.countPrefill(prompt);
        this.remote.requests++;
        const body = { ...this.options.extra, model: this.options.model, prompt, max_tokens: remaining, temperature: 0, logprobs: this.options.topN };
        this.stream = this.options.client.stream<CompletionChunk>("/v1/completions", body, this.options.signal, { mayWait });
        this.nextPosition = prompt.length;
        this.givenThisRequest = 0;
        this.firstTokenPending = performance.now();
    }

    private async readChunk(): Promise<void> {
        const result = await this.stream!.next();
        if (this.firstTokenPending !== undefined) {
            this.remote.firstTokenMs += performance.now() - this.firstTokenPending;
            this.firstTokenPending = undefined;
        }
        const url = this.options.client.url;
        if (result.done) {
            this.stream = undefined;
            throw new RemoteLlmError("stream-dropped", `The LLM server at ${url} ended the answer stream early (after ${this.givenThisRequest} tokens of this turn, without the token R-Stitch needs).`);
        }
        const choice = result.value.choices?.[0];
        if (!choice) return;
        this.pending.push(...readChunkTokens(choice, this.options.names, `The LLM server at ${url}`));
        if (this.pending.length === 0 && choice.finish_reason) {
            await this.closeStream();
            const why = choice.finish_reason === "length"
                ? "its context is full (serve the model with a larger context, or ask for a shorter answer)"
                : `it stopped (${choice.finish_reason}) before the token R-Stitch needs`;
            throw new RemoteLlmError("bad-answer", `The LLM server at ${url} ended the answer: ${why}.`);
        }
    }

    /** Tokens of this prompt the server's prefix cache does not hold yet, as far as this lane can tell. */
    private countPrefill(prompt: number[]): void {
        let common = 0;
        while (common < prompt.length && common < this.serverHolds.length && prompt[common] === this.serverHolds[common]) common++;
        const evaluated = Math.max(1, prompt.length - common);
        this.counters.evaluated += evaluated;
        this.counters.prefill += evaluated;
        // A lane lives for one answer and does not know what the server's prefix cache kept from earlier
        // turns, so its first request counts the whole prompt as read (an upper bound).
        if (this.serverHolds.length === 0) this.counters.promptPrefill = Math.max(0, (this.promptLength ?? 0) - common);
        this.serverHolds = [...prompt];
    }

    private async closeStream(): Promise<void> {
        const stream = this.stream;
        this.stream = undefined;
        this.pending = [];
        this.nextPosition = -1;
        if (stream) await stream.return(undefined);
    }
}
