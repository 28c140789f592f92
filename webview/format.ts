/** Text for the per-answer stats line. Pure, so it is unit-tested without a browser. */
import type { StitchStats, StopReason } from "../src/protocol.ts";

const STOP_TEXT: Record<StopReason, string> = {
    eog: "finished",
    stopTrigger: "finished",
    budget: "token budget reached",
    abort: "stopped",
};

export function stopText(reason: StopReason): string {
    return STOP_TEXT[reason];
}

export function percent(share: number): string {
    return `${(share * 100).toFixed(share > 0 && share < 0.1 ? 1 : 0)}%`;
}

/**
 * Estimated speedup over LLM-only decoding: one LLM forward pass per output token, at the LLM's
 * measured cost per pass in this answer, vs the time this answer took. Only shown when the LLM ran
 * often enough to time it.
 */
export function speedupEstimate(stats: StitchStats): number | undefined {
    if (stats.mode !== "stitch" || stats.llm.calls < 4 || stats.wallMs <= 0) return undefined;
    const llmOnlyMs = (stats.llm.wallMs / stats.llm.calls) * stats.totalTokens;
    return llmOnlyMs / stats.wallMs;
}

export interface StatsPart {
    /** Short CSS-class-safe name of the figure. */
    key: string;
    text: string;
    /** Longer explanation for the hover. */
    title?: string;
}

export function statsParts(stats: StitchStats, stopReason: StopReason): StatsPart[] {
    const parts: StatsPart[] = [
        { key: "tokens", text: `${stats.slm.tokens} SLM + ${stats.llm.tokens} LLM tokens`, title: "Tokens written by each model" },
        { key: "switches", text: `${stats.switches} switch${stats.switches === 1 ? "" : "es"}`, title: "Hand-overs between the two models" },
        {
            key: "speed",
            text: `${stats.tokensPerSecond.toFixed(1)} tok/s`,
            title: `${stats.totalTokens} tokens in ${(stats.wallMs / 1000).toFixed(2)} s`,
        },
        { key: "share", text: `LLM share ${percent(stats.llmShare)}`, title: "Share of the output written by the large model" },
    ];
    const speedup = speedupEstimate(stats);
    if (speedup !== undefined) {
        parts.push({
            key: "speedup",
            text: `≈${speedup.toFixed(2)}× vs LLM-only`,
            title: "Estimate: one LLM pass per token at the LLM's measured cost per pass, divided by this answer's time",
        });
    }
    if (stats.discardedSlmTokens > 0) {
        parts.push({ key: "discarded", text: `${stats.discardedSlmTokens} SLM tokens discarded`, title: "SLM tokens dropped because the SLM was unsure" });
    }
    parts.push({ key: "stop", text: stopText(stopReason), title: `Stop reason: ${stopReason}` });
    return parts;
}

/** The whole line as plain text. */
export function statsLine(stats: StitchStats, stopReason: StopReason): string {
    return statsParts(stats, stopReason)
        .map((p) => p.text)
        .join(" · ");
}
