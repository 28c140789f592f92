/**
 * What the decode loops need from a model: the interface every lane implements — the local lane
 * (node-llama-cpp, lane.ts), the batch lane (batch-lane.ts) and the remote lane (an LLM behind
 * llama-server, remote/remote-lane.ts) — so the loop in stitcher.ts does not know where a model runs.
 */
import type { Token } from "node-llama-cpp";
import type { RemoteCounters, Source } from "./events.ts";
import type { Prediction } from "./reading.ts";

export interface LaneCounters {
    /** Forward passes (one per prediction). */
    calls: number;
    /** Tokens evaluated in total. */
    evaluated: number;
    /** Of those, tokens this lane did not itself just predict (prompt and the other model's). */
    prefill: number;
    /** Of the prompt, the tokens this lane evaluated (the rest its model still held from an earlier turn). */
    promptPrefill: number;
    wallMs: number;
}

export interface StitchLane {
    readonly source: Source;
    readonly counters: LaneCounters;
    /** Only a lane served by a remote server has these. */
    readonly remote?: RemoteCounters;
    /** Tokens of prompt ⊕ output this lane has not seen yet (evaluated at the next prediction). */
    append(tokens: readonly Token[]): void;
    /** The distribution of the next position after everything appended so far. */
    predict(): Promise<Prediction>;
    /** This lane's last prediction was kept as `token` (it comes back through append). */
    chose(token: Token): void;
    close(): Promise<void>;
}

/** A lane that can score a draft in one pass and cut its cache back (draft verification). */
export interface VerifyLane extends StitchLane {
    /** Tokens this lane holds, evaluated and pending. */
    readonly length: number;
    /** Evaluates the backlog and then `draft` in one batch: draft.length + 1 predictions. */
    score(draft: readonly Token[]): Promise<Prediction[]>;
    /** Keeps the first `length` tokens and forgets the rest. */
    rewindTo(length: number): Promise<void>;
}
