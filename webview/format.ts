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

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

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
            // No token count here: a stopped answer keeps fewer tokens than the decoder wrote in that time.
            title: `Decoding speed over ${seconds(stats.wallMs)} of wall time`,
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

/** One line of the stats' details: a figure and what it means. */
export interface StatsDetail {
    key: string;
    text: string;
    meaning: string;
}

/**
 * The stats' details, shown on demand under the one-line stats: every figure of the line with its
 * meaning, then what the line leaves out (time, what each model read, draft and server counters).
 */
export function statsDetails(stats: StitchStats, stopReason: StopReason): StatsDetail[] {
    const out: StatsDetail[] = statsParts(stats, stopReason).map((p) => ({ key: p.key, text: p.text, meaning: p.title ?? "" }));
    out.push({ key: "wall", text: `${seconds(stats.wallMs)} of decoding`, meaning: `SLM ${seconds(stats.slm.wallMs)} in ${stats.slm.calls} calls, LLM ${seconds(stats.llm.wallMs)} in ${stats.llm.calls} calls` });
    out.push({ key: "prefill", text: `read: SLM ${stats.slm.prefillTokens}, LLM ${stats.llm.prefillTokens} tokens`, meaning: "Tokens each model evaluated in batches (the prompt and the other model's tokens)" });
    if (stats.prompt) {
        out.push({
            key: "prompt",
            text: `prompt ${stats.prompt.tokens} tokens, of which read this turn: SLM ${stats.prompt.prefill.slm}, LLM ${stats.prompt.prefill.llm}`,
            meaning: "The conversation as the models' chat template renders it; the rest each model still held from earlier turns",
        });
    }
    if (stats.draft) {
        out.push({ key: "draft", text: `drafts: ${stats.draft.accepted} of ${stats.draft.proposed} accepted`, meaning: "Speculative decoding: SLM draft tokens the LLM accepted" });
    }
    if (stats.remote) {
        out.push({ key: "remote", text: `LLM server: ${stats.remote.requests} request${stats.remote.requests === 1 ? "" : "s"}`, meaning: `First tokens after ${seconds(stats.remote.firstTokenMs)} in all` });
    }
    return out;
}
