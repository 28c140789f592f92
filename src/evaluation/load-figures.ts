/**
 * The figures of a load run (`rstitch load`, load.ts), from its answers alone: pure functions, so the
 * command, the README's table (tools/load-table.ts) and the tests compute them one way.
 */
import type { ServerCounters } from "./server-metrics.ts";

/** One answer of one client, as the load run saw it. */
export interface LoadAnswer {
    client: number;
    /** Index into the run's problems. */
    problem: number;
    /** From the answer's start to its last event. */
    ms: number;
    ids: number[];
    sources: ("slm" | "llm")[];
    text: string;
    /** The message the answer ended with (a remote failure, the time limit); absent: it finished. */
    error?: string;
    /** LLM requests (one per LLM turn, plus restarts). */
    llmRequests: number;
    /** Tokens the LLM wrote. */
    llmTokens: number;
    /** Prompt tokens the server had to evaluate, as the client counts them (its cache's misses). */
    llmPrefill: number;
}

export interface PhaseFigures {
    mode: string;
    clients: number;
    /** Answers that finished. */
    answers: number;
    /** Answers that ended with an error (each message with its count in `errorMessages`). */
    errors: number;
    errorMessages: { message: string; count: number }[];
    /** Answers never started (the time limit came first, or Stop). */
    notRun: number;
    wallMs: number;
    answersPerMinute: number;
    p50Ms: number;
    p95Ms: number;
    tokensPerAnswer: number;
    llmRequestsPerAnswer: number;
    llmTokensPerAnswer: number;
    llmPrefillPerAnswer: number;
    /**
     * Finished answers whose tokens differ from another client's finished answer to the same problem
     * (greedy decoding: every client must write the same tokens; anything else is a bug under load).
     */
    mismatches: number;
    /** What the server itself reported over the phase (llama-server's /metrics), null where it reports nothing. */
    server: (ServerCounters & { promptCacheReuse: number | null; busyMsPerAnswer: number }) | null;
}

/** Nearest-rank percentile (p in 0–100) of a list; 0 for an empty one. */
export function percentile(values: readonly number[], p: number): number {
    if (values.length === 0) return 0;
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function sameTokens(a: LoadAnswer, b: LoadAnswer): boolean {
    return a.ids.length === b.ids.length && a.ids.every((id, i) => id === b.ids[i] && a.sources[i] === b.sources[i]);
}

export function phaseFigures(mode: string, clients: number, planned: number, answers: readonly LoadAnswer[], wallMs: number, server: ServerCounters | null): PhaseFigures {
    const done = answers.filter((a) => a.error === undefined);
    const n = done.length || 1;
    const mean = (f: (a: LoadAnswer) => number) => done.reduce((s, a) => s + f(a), 0) / n;
    const messages = new Map<string, number>();
    for (const a of answers) if (a.error !== undefined) messages.set(a.error, (messages.get(a.error) ?? 0) + 1);
    const first = new Map<number, LoadAnswer>();
    let mismatches = 0;
    for (const a of done) {
        const seen = first.get(a.problem);
        if (!seen) first.set(a.problem, a);
        else if (!sameTokens(seen, a)) mismatches++;
    }
    const times = done.map((a) => a.ms);
    return {
        mode,
        clients,
        answers: done.length,
        errors: answers.length - done.length,
        errorMessages: [...messages].map(([message, count]) => ({ message, count })),
        notRun: planned - answers.length,
        wallMs,
        answersPerMinute: wallMs > 0 ? done.length / (wallMs / 60_000) : 0,
        p50Ms: percentile(times, 50),
        p95Ms: percentile(times, 95),
        tokensPerAnswer: mean((a) => a.ids.length),
        llmRequestsPerAnswer: mean((a) => a.llmRequests),
        llmTokensPerAnswer: mean((a) => a.llmTokens),
        llmPrefillPerAnswer: mean((a) => a.llmPrefill),
        mismatches,
        server: server && {
            ...server,
            promptCacheReuse: server.promptTokens + server.cachedPromptTokens > 0 ? server.cachedPromptTokens / (server.promptTokens + server.cachedPromptTokens) : null,
            busyMsPerAnswer: server.busyMs / n,
        },
    };
}

/** A measured client count: the p95 time per answer with every client stitched, and with every client LLM-only. */
export interface LoadPoint {
    clients: number;
    stitchP95Ms: number;
    llmP95Ms: number;
}

/**
 * People per server at equal p95: for the p95 that `clients` LLM-only clients get from the server, how
 * many stitched clients get a p95 no worse — read off the measured stitched points, linearly between
 * two neighbours. `beyond`: even the most stitched clients measured were faster (the figure is at
 * least `people`); null people: even the fewest were slower.
 */
export function peopleAtEqualP95(points: readonly LoadPoint[], clients: number): { people: number | null; beyond: boolean } {
    const sorted = [...points].sort((a, b) => a.clients - b.clients);
    const target = sorted.find((p) => p.clients === clients)?.llmP95Ms;
    if (target === undefined) throw new Error(`no measured point at ${clients} clients`);
    let best = -1;
    for (let i = 0; i < sorted.length; i++) if (sorted[i].stitchP95Ms <= target) best = i;
    if (best < 0) return { people: null, beyond: false };
    if (best === sorted.length - 1) return { people: sorted[best].clients, beyond: true };
    const [a, b] = [sorted[best], sorted[best + 1]];
    const people = a.clients + ((target - a.stitchP95Ms) / (b.stitchP95Ms - a.stitchP95Ms)) * (b.clients - a.clients);
    return { people: Math.round(people * 10) / 10, beyond: false };
}
