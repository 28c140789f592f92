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

export interface StatsPart {
    /** Short CSS-class-safe name of the figure. */
    key: string;
    text: string;
    /** Longer explanation for the hover. */
    title?: string;
}

export function statsParts(stats: StitchStats, stopReason: StopReason): StatsPart[] {
    // Measured figures only. No speedup over LLM-only: this answer was not also decoded by the LLM
    // alone, and the LLM's time per call here mixes one-token steps with prefill batches, so no
    // figure derived from it would be honest (`rstitch bench` measures the speedup properly).
    const parts: StatsPart[] = [
        { key: "tokens", text: `${stats.slm.tokens} SLM + ${stats.llm.tokens} LLM tokens`, title: "Tokens written by each model" },
        { key: "switches", text: `${stats.switches} switch${stats.switches === 1 ? "" : "es"}`, title: "Hand-overs between the two models" },
    ];
    // With no token written there is no speed to report (not "0.0 tok/s").
    if (stats.totalTokens > 0 && stats.wallMs > 0) {
        parts.push({
            key: "speed",
            text: `${stats.tokensPerSecond.toFixed(1)} tok/s`,
            title: `${stats.totalTokens} tokens in ${(stats.wallMs / 1000).toFixed(2)} s (wall time of the decoding)`,
        });
    }
    parts.push({ key: "share", text: `LLM share ${percent(stats.llmShare)}`, title: "Share of the output written by the large model" });
    if (stats.discardedSlmTokens > 0) {
        parts.push({ key: "discarded", text: `${stats.discardedSlmTokens} SLM token${stats.discardedSlmTokens === 1 ? "" : "s"} discarded`, title: "SLM tokens dropped because the SLM was unsure" });
    }
    parts.push({ key: "stop", text: stopText(stopReason), title: `Stop reason: ${stopReason}` });
    // Never a silent cut: the answer was given without the oldest turns of the conversation.
    const leftOut = stats.prompt?.turnsLeftOut ?? 0;
    if (leftOut > 0) {
        parts.push({
            key: "left-out",
            text: `${leftOut} earlier turn${leftOut === 1 ? "" : "s"} left out to fit the context of ${stats.prompt!.contextSize} tokens`,
            title: "The oldest questions and answers did not fit the models' context with room for this answer, so the models were not given them",
        });
    }
    return parts;
}

/** The whole line as plain text. */
export function statsLine(stats: StitchStats, stopReason: StopReason): string {
    return statsParts(stats, stopReason)
        .map((p) => p.text)
        .join(" · ");
}
