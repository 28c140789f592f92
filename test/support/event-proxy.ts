/**
 * A loopback proxy in front of llama-server that misbehaves on `/completion` streams only (the
 * connect-time checks pass through untouched): it delays each server-sent event, drops the
 * connection after N events (what a client sees when the server dies mid-answer), or never answers.
 * It records when a client hangs up, so a test can see that Stop really closed the request. It can
 * also answer as a busy server does (HTTP 429/503 with Retry-After) before passing requests on.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export interface ProxyBehaviour {
    delayMs?: number;
    dropAfterEvents?: number;
    /** Accept the request and never send anything. */
    silent?: boolean;
    /** Answer the next `count` requests (completion streams only, or any) busy, then proxy again. */
    busy?: { status: 429 | 503; retryAfter?: string; count: number; requests: "completion" | "any" };
}

export interface EventProxy {
    url: string;
    behaviour: ProxyBehaviour;
    /** `/completion` requests whose client hung up before the answer ended. */
    clientHangups: number;
    /** `/completion` requests still open. */
    open: number;
    /** Requests answered busy so far, by path. */
    busyAnswered: string[];
    /** Completion requests passed on to the server. */
    completionsPassed: number;
    /** Called after each busy answer is sent. */
    onBusy?: () => void;
    close(): Promise<void>;
}

export async function startEventProxy(target: string, behaviour: ProxyBehaviour = {}): Promise<EventProxy> {
    const upstream = new URL(target);
    const proxy: EventProxy = { url: "", behaviour, clientHangups: 0, open: 0, busyAnswered: [], completionsPassed: 0, close: async () => undefined };
    const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
        // llama-server's own stream and the OpenAI one; the connect-time probe is not streamed but still proxied.
        const completion = (req.url?.startsWith("/completion") || req.url?.startsWith("/v1/completions")) ?? false;
        const b = proxy.behaviour;
        let finished = false;
        if (b.busy && b.busy.count > 0 && (completion || b.busy.requests === "any")) {
            b.busy.count--;
            proxy.busyAnswered.push(req.url ?? "");
            req.resume();
            const body = JSON.stringify({ error: { code: b.busy.status, message: b.busy.status === 429 ? "Too many requests" : "Loading model", type: "unavailable_error" } });
            res.writeHead(b.busy.status, { "Content-Type": "application/json", ...(b.busy.retryAfter !== undefined ? { "Retry-After": b.busy.retryAfter } : {}) });
            res.end(body, () => proxy.onBusy?.());
            return;
        }
        if (completion) proxy.completionsPassed++;
        if (completion) {
            proxy.open++;
            res.on("close", () => {
                proxy.open--;
                if (!finished) proxy.clientHangups++;
            });
        }
        if (completion && b.silent) return;
        const up = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            if (!completion) {
                answer.pipe(res);
                return;
            }
            let buffer = "";
            let sent = 0;
            const queue: string[] = [];
            let writing = false;
            const pump = () => {
                if (writing) return;
                const next = queue.shift();
                if (next === undefined) return;
                writing = true;
                setTimeout(() => {
                    writing = false;
                    if (res.destroyed) return;
                    if (next === "") {
                        finished = true;
                        res.end();
                        return;
                    }
                    sent++;
                    if (b.dropAfterEvents !== undefined && sent >= b.dropAfterEvents) {
                        // As if the server died: no final event, the connection simply goes — after the
                        // events already sent have left (destroying at once would discard the last write).
                        finished = true;
                        up.destroy();
                        res.write(next, () => setTimeout(() => res.socket?.destroy(), 50));
                        return;
                    }
                    res.write(next);
                    pump();
                }, b.delayMs ?? 0);
            };
            answer.setEncoding("utf8");
            answer.on("data", (d: string) => {
                buffer += d;
                let cut: number;
                while ((cut = buffer.indexOf("\n\n")) >= 0) {
                    queue.push(buffer.slice(0, cut + 2));
                    buffer = buffer.slice(cut + 2);
                }
                pump();
            });
            answer.on("end", () => {
                // A non-streamed answer (the OpenAI API's connect-time probe) is one piece without "\n\n".
                if (buffer) queue.push(buffer);
                queue.push("");
                pump();
            });
        });
        up.on("error", () => res.destroy());
        res.on("close", () => up.destroy());
        req.pipe(up);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    proxy.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    proxy.close = () => new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
    });
    return proxy;
}
