/**
 * A busy server's "come back later" (HTTP 429, 503 with Retry-After) before an answer has begun:
 * how long it asks for, and a wait that Stop ends at once. Bounded: at most MAX_BUSY_WAITS waits per
 * request, each at most the request timeout. Once an answer has begun nothing waits (server-client.ts).
 */

export const MAX_BUSY_WAITS = 3;
export const BUSY_STATUSES: readonly number[] = [429, 503];

/**
 * Milliseconds a Retry-After header asks for (delta-seconds or an HTTP date, RFC 9110 §10.2.3),
 * capped at `capMs`; undefined when there is none or it cannot be read.
 */
export function retryAfterMs(header: string | null | undefined, capMs: number, now: number = Date.now()): number | undefined {
    const value = header?.trim();
    if (!value) return undefined;
    let ms: number;
    if (/^\d+$/.test(value)) ms = Number(value) * 1000;
    else {
        // An HTTP date names its day or month; Date.parse alone would read "-1" or "1.5" as dates.
        if (!/[A-Za-z]{3}/.test(value)) return undefined;
        const at = Date.parse(value);
        if (Number.isNaN(at)) return undefined;
        ms = Math.max(0, at - now);
    }
    return Math.min(ms, capMs);
}

/** Waits `ms`, or rejects at once with the signal's reason when it aborts (Stop). */
export function waitUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal.aborted) {
            reject(signal.reason);
            return;
        }
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal.reason);
        };
        const timer = setTimeout(() => {
            signal.removeEventListener("abort", onAbort);
            resolve();
        }, ms);
        signal.addEventListener("abort", onAbort, { once: true });
    });
}
