/**
 * A small client for llama.cpp's llama-server: JSON requests and the token stream of `/completion`,
 * each bounded by a timeout (no hung request), cancelled at once by the caller's signal (Stop), and
 * every failure turned into a RemoteLlmError whose message says what happened and what to do.
 * It never retries a generation that has begun (it could repeat tokens the user has already seen);
 * before an answer begins it waits as a busy server asks (429, 503 with Retry-After: busy-wait.ts).
 */
import { BUSY_STATUSES, MAX_BUSY_WAITS, retryAfterMs, waitUnlessAborted } from "./busy-wait.ts";
import { RemoteLlmError } from "./errors.ts";
import type { ServerApi } from "./server-api.ts";
import { SseParser } from "./sse.ts";

export interface ServerSettings {
    /** Base URL of llama-server, e.g. http://gpu-box:8080 */
    url: string;
    /** Sent as `Authorization: Bearer …` when set (llama-server --api-key). */
    apiKey?: string;
    /** Longest wait for an answer, and between two streamed tokens, in ms. */
    timeoutMs: number;
    /** Which API to speak (server-engine.ts); undefined: auto. */
    api?: ServerApi;
}

export const DEFAULT_SERVER_TIMEOUT_MS = 60_000;

export interface RequestOptions {
    /**
     * Whether a busy server's Retry-After may be waited for: true before an answer has begun (connect,
     * the first request of an answer with nothing written yet); false mid-answer, where such a reply
     * ends the answer.
     */
    mayWait?: boolean;
}

/** Checks a user-given server URL; returns it without a trailing slash or a message saying what is wrong. */
export function normaliseServerUrl(raw: string): { url: string } | { error: string } {
    let parsed: URL;
    try {
        parsed = new URL(raw.trim());
    } catch {
        return { error: `"${raw}" is not a URL; give the LLM server's address, e.g. http://127.0.0.1:8080` };
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
        return { error: `The LLM server URL must start with http:// or https://, got "${raw}".` };
    }
    if (parsed.search || parsed.hash) return { error: `The LLM server URL must not carry a query or fragment: "${raw}".` };
    return { url: parsed.href.replace(/\/+$/, "") };
}

/** One request's cancellation: the caller's signal or the timeout, whichever comes first. */
class Deadline {
    readonly controller = new AbortController();
    timedOut = false;
    private timer: NodeJS.Timeout | undefined;
    private readonly onAbort = () => this.controller.abort();

    constructor(private readonly ms: number, private readonly user?: AbortSignal) {
        if (user?.aborted) this.controller.abort();
        user?.addEventListener("abort", this.onAbort, { once: true });
    }

    get signal(): AbortSignal {
        return this.controller.signal;
    }

    /** Stops the clock (while waiting as a busy server asked; the user's signal still aborts). */
    pause(): void {
        clearTimeout(this.timer);
    }

    /** (Re)starts the clock: the next answer or chunk must come within the timeout. */
    arm(): void {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => {
            this.timedOut = true;
            this.controller.abort();
        }, this.ms);
    }

    dispose(): void {
        clearTimeout(this.timer);
        this.user?.removeEventListener("abort", this.onAbort);
        this.controller.abort();
    }
}

/** The message of an HTTP error's body: its JSON `error` where there is one, else the text. */
function errorText(text: string): string {
    try {
        const parsed = JSON.parse(text) as { error?: { message?: string } | string };
        const message = typeof parsed.error === "string" ? parsed.error : parsed.error?.message;
        if (message) return message;
    } catch {
        // not JSON: keep the text
    }
    return text.slice(0, 300);
}

/** OpenSSL's and Node's codes for a server certificate that fails verification (untrusted CA, expired, another host's). */
function isCertificateProblem(code: string): boolean {
    return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_CERT_ALTNAME_INVALID/.test(code);
}

function causeCode(e: unknown): string | undefined {
    const cause = (e as { cause?: { code?: string; errors?: { code?: string }[] } })?.cause;
    return cause?.code ?? cause?.errors?.[0]?.code;
}

export class LlamaServerClient {
    readonly url: string;

    constructor(private readonly settings: ServerSettings) {
        const checked = normaliseServerUrl(settings.url);
        if ("error" in checked) throw new RemoteLlmError("unreachable", checked.error);
        this.url = checked.url;
    }

    get timeoutMs(): number {
        return this.settings.timeoutMs;
    }

    /** Busy waits are allowed unless `options.mayWait` is false (these are connect-time requests). */
    async getJson<T>(path: string, signal?: AbortSignal, options: RequestOptions = {}): Promise<T> {
        return this.json<T>(path, { method: "GET" }, signal, options.mayWait ?? true);
    }

    async postJson<T>(path: string, body: unknown, signal?: AbortSignal, options: RequestOptions = {}): Promise<T> {
        return this.json<T>(path, { method: "POST", body: JSON.stringify(body) }, signal, options.mayWait ?? true);
    }

    /**
     * Streams `/completion`: yields each event's JSON. Ending the iteration early (return/break)
     * closes the connection, which makes llama-server stop generating for this request. Busy waits
     * only with `options.mayWait` (the caller knows whether its answer has begun).
     */
    async *stream<T>(path: string, body: unknown, signal?: AbortSignal, options: RequestOptions = {}): AsyncGenerator<T, void, undefined> {
        const deadline = new Deadline(this.settings.timeoutMs, signal);
        let started = false;
        try {
            deadline.arm();
            const response = await this.fetch(path, { method: "POST", body: JSON.stringify({ ...(body as object), stream: true }) }, deadline, options.mayWait ?? false);
            if (!response.body) throw new RemoteLlmError("bad-answer", `The LLM server at ${this.url} sent an empty answer to ${path}.`);
            started = true;
            const reader = response.body.getReader();
            const parser = new SseParser();
            for (;;) {
                deadline.arm();
                const { done, value } = await reader.read();
                if (done) return;
                for (const payload of parser.push(value)) {
                    if (payload === "[DONE]") return;
                    const event = this.parse(payload, path) as { error?: { message?: string; code?: number } };
                    if (event.error) throw this.httpError(event.error.code ?? 500, event.error.message ?? JSON.stringify(event.error), path);
                    yield event as Awaited<T>;
                }
            }
        } catch (e) {
            throw this.translate(e, deadline, signal, started);
        } finally {
            deadline.dispose();
        }
    }

    private async json<T>(path: string, init: RequestInit, signal: AbortSignal | undefined, mayWait: boolean): Promise<T> {
        const deadline = new Deadline(this.settings.timeoutMs, signal);
        try {
            deadline.arm();
            const response = await this.fetch(path, init, deadline, mayWait);
            return this.parse(await response.text(), path) as T;
        } catch (e) {
            throw this.translate(e, deadline, signal, false);
        } finally {
            deadline.dispose();
        }
    }

    /** One request; a busy server's Retry-After is waited for (at most MAX_BUSY_WAITS times) when `mayWait`. */
    private async fetch(path: string, init: RequestInit, deadline: Deadline, mayWait: boolean): Promise<Response> {
        for (let waits = 0; ; waits++) {
            const response = await this.send(path, init, deadline.signal);
            if (response.ok) return response;
            const message = errorText(await response.text().catch(() => ""));
            const busy = BUSY_STATUSES.includes(response.status) ? retryAfterMs(response.headers.get("retry-after"), this.settings.timeoutMs) : undefined;
            if (busy === undefined && response.status !== 429) throw this.httpError(response.status, message, path);
            if (busy === undefined || !mayWait || waits >= MAX_BUSY_WAITS) throw this.busyError(response.status, message, path, mayWait, waits);
            deadline.pause();
            await waitUnlessAborted(busy, deadline.signal);
            deadline.arm();
        }
    }

    private async send(path: string, init: RequestInit, signal: AbortSignal): Promise<Response> {
        const headers: Record<string, string> = { "Content-Type": "application/json" };
        if (this.settings.apiKey) headers.Authorization = `Bearer ${this.settings.apiKey}`;
        let response: Response;
        try {
            response = await fetch(this.url + path, { ...init, headers, signal });
        } catch (e) {
            // A pooled keep-alive connection the server had already closed fails before any answer
            // arrived: the request never reached the model, so one retry cannot duplicate a token.
            const code = causeCode(e);
            if (signal.aborted || (code !== "UND_ERR_SOCKET" && code !== "ECONNRESET")) throw e;
            response = await fetch(this.url + path, { ...init, headers, signal });
        }
        return response;
    }

    private busyError(status: number, message: string, path: string, mayWait: boolean, waits: number): RemoteLlmError {
        const where = `The LLM server at ${this.url} is busy (HTTP ${status}${message ? `: ${message}` : ""})`;
        if (!mayWait) return new RemoteLlmError("busy", `${where} in the middle of an answer; the text so far is kept. R-Stitch waits for a busy server only before an answer begins. Try again in a moment.`);
        if (waits > 0) return new RemoteLlmError("busy", `${where} and still was after ${waits} waits as it asked (Retry-After). Try again later, or ask whoever runs it for more capacity.`);
        return new RemoteLlmError("busy", `${where} on ${path} and said nothing about when to come back (no Retry-After). Try again in a moment.`);
    }

    private parse(text: string, path: string): unknown {
        try {
            return JSON.parse(text);
        } catch {
            throw new RemoteLlmError("not-llama-server", `The server at ${this.url} answered ${path} with something that is not JSON; is it llama-server? (${text.slice(0, 80)})`);
        }
    }

    private httpError(status: number, message: string, path: string): RemoteLlmError {
        const where = `The LLM server at ${this.url}`;
        if (status === 401 || status === 403) {
            return new RemoteLlmError("auth", `${where} refused the API key (HTTP ${status}: ${message}). Set the right key: command "R-Stitch: Set LLM Server API Key…", or --api-key-env NAME on the command line.`);
        }
        if (status === 404) return new RemoteLlmError("not-llama-server", `${where} has no ${path} endpoint (HTTP 404); R-Stitch needs llama.cpp's llama-server there.`);
        if (status === 503) return new RemoteLlmError("http", `${where} is not ready (HTTP 503: ${message}); it may still be loading its model. Try again in a moment.`);
        return new RemoteLlmError("http", `${where} answered ${path} with HTTP ${status}: ${message}`);
    }

    private translate(e: unknown, deadline: Deadline, user: AbortSignal | undefined, streaming: boolean): unknown {
        if (user?.aborted) return e; // Stop: the caller knows; not an error to report
        if (e instanceof RemoteLlmError) return e;
        const seconds = Math.round(this.settings.timeoutMs / 100) / 10;
        if (deadline.timedOut) {
            return new RemoteLlmError("timeout", `The LLM server at ${this.url} sent nothing for ${seconds} s${streaming ? " in the middle of an answer" : ""}; it may be overloaded or stuck. Check the server, or allow it more time (rstitch.LLMServerTimeout, CLI --llm-timeout).`);
        }
        const code = causeCode(e);
        if (code !== undefined && isCertificateProblem(code)) {
            const why = (e as { cause?: { message?: string } }).cause?.message ?? code;
            return new RemoteLlmError("certificate", `The LLM server at ${this.url} presented a TLS certificate this machine does not trust: ${why} (${code}). If a private CA signed it, trust that CA: for the command line, NODE_EXTRA_CA_CERTS=/path/to/ca.pem; in VS Code, add it to the system's certificate store (VS Code loads it: http.systemCertificates). See "A shared LLM server" in the README.`);
        }
        if (streaming) {
            return new RemoteLlmError("stream-dropped", `The LLM server at ${this.url} dropped the connection in the middle of an answer${code ? ` (${code})` : ""}.`);
        }
        if (code === "ECONNREFUSED") return new RemoteLlmError("unreachable", `Cannot reach the LLM server at ${this.url}: connection refused. Start llama-server there, or fix the URL (rstitch.LLMServerURL, CLI --llm-url).`);
        if (code === "ENOTFOUND" || code === "EAI_AGAIN") return new RemoteLlmError("unreachable", `Cannot reach the LLM server at ${this.url}: host not found. Fix the URL (rstitch.LLMServerURL, CLI --llm-url).`);
        const cause = (e as { cause?: { message?: string } }).cause?.message;
        return new RemoteLlmError("unreachable", `Cannot reach the LLM server at ${this.url}: ${cause ?? (e as Error).message}${code ? ` (${code})` : ""}. Check the URL (rstitch.LLMServerURL, CLI --llm-url) and that llama-server runs there.`);
    }
}
