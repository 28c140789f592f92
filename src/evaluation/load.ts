/**
 * Many people on one LLM server, measured (`rstitch load`): N clients — each a pair of its own (its
 * own SLM context and server slot; pair-load.ts loadPairs) — answer the same problems at the same
 * time, each starting at another problem so they are not in step. Run once with every client stitched
 * and once with every client LLM-only on the same server; the figures are load-figures.ts's.
 * Bounded: N × M answers per phase and a time limit, after which what still runs is stopped.
 */
import type { ModelPair, SolveOptions, StitchEvent } from "../stitch/index.ts";
import { phaseFigures, type LoadAnswer, type PhaseFigures } from "./load-figures.ts";
import type { Problem } from "./problems.ts";
import { counterDifference, readServerMetrics } from "./server-metrics.ts";

export type { LoadAnswer, PhaseFigures };

/** What a test or a progress display may hook into; each hook is awaited (the client waits meanwhile). */
export interface LoadHooks {
    beforeAnswer?(client: number, problem: number): Promise<void> | void;
    onEvent?(client: number, problem: number, event: StitchEvent, tokens: number): Promise<void> | void;
    onAnswer?(answer: LoadAnswer): void;
}

export interface PhaseOptions {
    /** The decode every client runs (mode, τ, budget, …); the prompt is the problem's. */
    decode: Omit<SolveOptions, "prompt" | "signal" | "history">;
    /** The whole phase stops after this long (answers still running end as "stopped: time limit"). */
    timeLimitMs: number;
    signal?: AbortSignal;
    hooks?: LoadHooks;
    /** Where to read the server's own counters (/metrics); absent: not read. */
    server?: { url: string; apiKey?: string };
}

export interface PhaseRun {
    answers: LoadAnswer[];
    figures: PhaseFigures;
}

export const TIME_LIMIT_MESSAGE = "stopped: the load run's time limit";

/** Client c's order: all problems, starting at its own offset. */
export function clientOrder(client: number, clients: number, problems: number): number[] {
    const start = Math.floor((client * problems) / clients);
    return Array.from({ length: problems }, (_, i) => (start + i) % problems);
}

async function answerOne(pair: ModelPair, client: number, index: number, problem: Problem, options: PhaseOptions, signal: AbortSignal, timedOut: () => boolean): Promise<LoadAnswer> {
    const started = performance.now();
    const answer: LoadAnswer = { client, problem: index, ms: 0, ids: [], sources: [], text: "", llmRequests: 0, llmTokens: 0, llmPrefill: 0 };
    for await (const e of pair.solve({ ...options.decode, prompt: problem.prompt, signal })) {
        if (e.type === "token") {
            answer.ids.push(e.id);
            answer.sources.push(e.source);
            answer.text += e.text;
        } else if (e.type === "error") {
            answer.error = e.message;
        } else if (e.type === "done") {
            if (e.stopReason === "abort") answer.error = timedOut() ? TIME_LIMIT_MESSAGE : "stopped";
            answer.text = e.text;
            answer.llmRequests = e.stats.remote?.requests ?? 0;
            answer.llmTokens = e.stats.llm.tokens;
            answer.llmPrefill = e.stats.llm.prefillTokens;
        }
        await options.hooks?.onEvent?.(client, index, e, answer.ids.length);
    }
    answer.ms = performance.now() - started;
    if (answer.error !== undefined) answer.llmTokens = answer.sources.filter((s) => s === "llm").length;
    return answer;
}

/** One phase: every pair is one client, all at once, each answering every problem once. */
export async function runPhase(pairs: readonly ModelPair[], problems: readonly Problem[], options: PhaseOptions): Promise<PhaseRun> {
    const stop = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
        timedOut = true;
        stop.abort();
    }, options.timeLimitMs);
    const onAbort = () => stop.abort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const before = options.server ? await readServerMetrics(options.server.url, options.server.apiKey) : null;
    const answers: LoadAnswer[] = [];
    const started = performance.now();
    try {
        await Promise.all(pairs.map(async (pair, client) => {
            for (const index of clientOrder(client, pairs.length, problems.length)) {
                if (stop.signal.aborted) break;
                await options.hooks?.beforeAnswer?.(client, index);
                const answer = await answerOne(pair, client, index, problems[index], options, stop.signal, () => timedOut);
                answers.push(answer);
                options.hooks?.onAnswer?.(answer);
            }
        }));
    } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
    }
    const wallMs = performance.now() - started;
    const after = options.server ? await readServerMetrics(options.server.url, options.server.apiKey) : null;
    const mode = options.decode.mode ?? "stitch";
    return { answers, figures: phaseFigures(mode, pairs.length, pairs.length * problems.length, answers, wallMs, counterDifference(after, before)) };
}
