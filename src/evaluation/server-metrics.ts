/**
 * What llama-server says about its own work (`/metrics`, Prometheus text; served when it was started
 * with `--metrics`): prompt tokens evaluated and reused from its prompt cache, tokens generated, and
 * the time it spent on them. Read before and after a load phase; the difference is the phase's.
 * Engines that report none of it (or llama-server without --metrics) give null: the load run says so.
 */

export interface ServerCounters {
    /** Prompt tokens the server evaluated (its cache's misses). */
    promptTokens: number;
    /** Prompt tokens it took from its prompt cache instead. */
    cachedPromptTokens: number;
    /** Tokens it generated, including those a client closed the stream on before reading. */
    predictedTokens: number;
    /** Time it spent evaluating prompts and generating, ms (summed over slots). */
    busyMs: number;
}

const NAMES = {
    promptTokens: "llamacpp:prompt_tokens_total",
    cachedPromptTokens: "llamacpp:prompt_tokens_cached_total",
    predictedTokens: "llamacpp:tokens_predicted_total",
    promptSeconds: "llamacpp:prompt_seconds_total",
    predictedSeconds: "llamacpp:tokens_predicted_seconds_total",
} as const;

/** The counters in a Prometheus text answer, or null when any is missing. */
export function parseServerMetrics(text: string): ServerCounters | null {
    const value = (name: string): number | undefined => {
        const line = text.split("\n").find((l) => l.startsWith(name + " "));
        const v = line === undefined ? NaN : Number(line.slice(name.length + 1).trim());
        return Number.isFinite(v) ? v : undefined;
    };
    const got = Object.fromEntries(Object.entries(NAMES).map(([k, name]) => [k, value(name)])) as Record<keyof typeof NAMES, number | undefined>;
    if (Object.values(got).some((v) => v === undefined)) return null;
    return {
        promptTokens: got.promptTokens!,
        cachedPromptTokens: got.cachedPromptTokens!,
        predictedTokens: got.predictedTokens!,
        busyMs: (got.promptSeconds! + got.predictedSeconds!) * 1000,
    };
}

/** The server's counters now; null when it does not serve them (no --metrics, another engine, an error). */
export async function readServerMetrics(url: string, apiKey?: string, timeoutMs = 10_000): Promise<ServerCounters | null> {
    try {
        const response = await fetch(`${url}/metrics`, {
            headers: apiKey ? { Authorization: `Bearer ${apiKey}` } : {},
            signal: AbortSignal.timeout(timeoutMs),
        });
        if (!response.ok) return null;
        return parseServerMetrics(await response.text());
    } catch {
        return null;
    }
}

export function counterDifference(after: ServerCounters | null, before: ServerCounters | null): ServerCounters | null {
    if (!after || !before) return null;
    // A server restarted in between starts from zero: its counters say nothing about the phase.
    if (after.promptTokens < before.promptTokens || after.predictedTokens < before.predictedTokens) return null;
    return {
        promptTokens: after.promptTokens - before.promptTokens,
        cachedPromptTokens: after.cachedPromptTokens - before.cachedPromptTokens,
        predictedTokens: after.predictedTokens - before.predictedTokens,
        busyMs: after.busyMs - before.busyMs,
    };
}
