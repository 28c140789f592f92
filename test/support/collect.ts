import type { DoneEvent, ModelPair, SolveOptions, StitchEvent, SwitchEvent, TokenEvent } from "../../src/stitch/index.ts";

export interface Collected {
    tokens: TokenEvent[];
    switches: SwitchEvent[];
    done: DoneEvent;
    events: StitchEvent[];
}

/** Runs a solve to the end and sorts its events; fails on an error event. */
export async function collect(pair: ModelPair, options: SolveOptions): Promise<Collected> {
    const events: StitchEvent[] = [];
    for await (const e of pair.solve(options)) events.push(e);
    const last = events[events.length - 1];
    if (last?.type === "error") throw new Error(`solve failed: ${last.message}`);
    if (last?.type !== "done") throw new Error("stream did not end with done");
    return {
        tokens: events.filter((e): e is TokenEvent => e.type === "token"),
        switches: events.filter((e): e is SwitchEvent => e.type === "switch"),
        done: last,
        events,
    };
}
