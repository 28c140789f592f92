/**
 * The statistics of one stitched answer, from what was emitted and the lanes' counters: one builder
 * for the plain R-Stitch loop and the speculative loop, which add their own extras (remote, draft).
 */
import type { Mode, Source, StitchStats } from "./events.ts";
import type { LaneCounters } from "./lane.ts";

export interface StatsInput {
    mode: Mode;
    threshold: number;
    emitted: readonly { source: Source }[];
    counters: Record<Source, LaneCounters>;
    switches: number;
    discarded: number;
    wallMs: number;
    prompt: { tokens: number; turnsLeftOut: number; contextSize: number };
}

export function stitchStats(o: StatsInput): StitchStats {
    const count = (s: Source) => o.emitted.filter((e) => e.source === s).length;
    const total = o.emitted.length;
    const lane = (s: Source) => ({ tokens: count(s), prefillTokens: o.counters[s].prefill, wallMs: o.counters[s].wallMs, calls: o.counters[s].calls });
    return {
        mode: o.mode,
        threshold: o.threshold,
        slm: lane("slm"),
        llm: lane("llm"),
        totalTokens: total,
        switches: o.switches,
        discardedSlmTokens: o.discarded,
        llmShare: total ? count("llm") / total : 0,
        wallMs: o.wallMs,
        tokensPerSecond: o.wallMs > 0 ? (total * 1000) / o.wallMs : 0,
        // Fields in the schema's order (events.ts): a trace written from these stats reads back byte for byte.
        prompt: { tokens: o.prompt.tokens, prefill: { slm: o.counters.slm.promptPrefill, llm: o.counters.llm.promptPrefill }, turnsLeftOut: o.prompt.turnsLeftOut, contextSize: o.prompt.contextSize },
    };
}
