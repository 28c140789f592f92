/**
 * What the stitcher needs from a model: the interface both the local lane (node-llama-cpp, lane.ts)
 * and the remote lane (an LLM behind llama-server, remote/remote-lane.ts) implement, so the loop in
 * stitcher.ts does not know where a model runs.
 */
import type { Token } from "node-llama-cpp";
import type { RemoteCounters, Source } from "./events.ts";
import type { LaneCounters } from "./lane.ts";
import type { Prediction } from "./reading.ts";

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
