/**
 * A model server of our own on 127.0.0.1 for the download tests: serves files at Hugging Face's
 * `/<user>/<repo>/resolve/main/<file>` paths with HEAD and byte ranges, records every request, and
 * can misbehave on purpose (drop the connection mid-file, answer an error status, stop sending).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ServedRequest {
    method: string;
    path: string;
    range?: string;
    /** Body bytes actually written for this request. */
    sent: number;
}

export interface Behaviour {
    /** Answer this status instead of the file. */
    status?: number;
    /** Destroy the socket after this many body bytes of the first ranged GET (a download's data request). */
    dropAfter?: number;
    /** Ranged GETs that start here send 64 kB and then nothing more (the connection stays open). */
    holdRangeStart?: number;
}

export interface ModelServer {
    /** Base URL ending with "/", to use as the hf: endpoint. */
    url: string;
    requests: ServedRequest[];
    /** Bytes of file bodies written so far. */
    bytesSent(): number;
    behave(path: string, b: Behaviour | undefined): void;
    close(): Promise<void>;
}

function parseRange(header: string | undefined, size: number): [number, number] | null {
    const m = /^bytes=(\d*)-(\d*)$/.exec(header ?? "");
    if (!m) return null;
    const start = m[1] === "" ? size - Number(m[2]) : Number(m[1]);
    const end = m[1] === "" || m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
    return start <= end && start < size ? [start, end] : null;
}

export async function startModelServer(files: Record<string, Buffer>): Promise<ModelServer> {
    const behaviours = new Map<string, Behaviour>();
    const drops = new Set<string>();
    const requests: ServedRequest[] = [];

    const handle = async (req: IncomingMessage, res: ServerResponse) => {
        const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
        const record: ServedRequest = { method: req.method ?? "GET", path, range: req.headers.range, sent: 0 };
        requests.push(record);
        const body = files[path];
        const b = behaviours.get(path) ?? {};
        if (!body) return void res.writeHead(404, { "content-type": "text/plain" }).end("Entry not found");
        if (b.status) return void res.writeHead(b.status, { "content-type": "text/plain" }).end("Internal error");
        const range = req.headers.range ? parseRange(req.headers.range, body.length) : null;
        if (req.headers.range && !range) return void res.writeHead(416, { "content-range": `bytes */${body.length}` }).end();
        const [start, end] = range ?? [0, body.length - 1];
        const headers: Record<string, string | number> = {
            "accept-ranges": "bytes",
            "content-length": end - start + 1,
            "content-type": "application/octet-stream",
        };
        if (range) headers["content-range"] = `bytes ${start}-${end}/${body.length}`;
        res.writeHead(range ? 206 : 200, headers);
        if (req.method === "HEAD") return void res.end();

        const slice = body.subarray(start, end + 1);
        const dropAt = range && b.dropAfter !== undefined && !drops.has(path) ? b.dropAfter : Infinity;
        if (dropAt !== Infinity) drops.add(path);
        const chunk = 64 * 1024;
        if (range && b.holdRangeStart === start) {
            record.sent += Math.min(chunk, slice.length);
            res.write(slice.subarray(0, chunk));
            return; // never ends: the client gives up or is cancelled
        }
        for (let at = 0; at < slice.length; at += chunk) {
            if (res.destroyed) return;
            const piece = slice.subarray(at, Math.min(at + chunk, slice.length, at + Math.max(0, dropAt - record.sent)));
            if (piece.length > 0) {
                record.sent += piece.length;
                if (!res.write(piece)) await new Promise((r) => res.once("drain", r));
            }
            if (record.sent >= dropAt) {
                await new Promise((r) => setTimeout(r, 20));
                res.socket?.destroy();
                return;
            }
        }
        res.end();
    };

    const server = createServer((req, res) => {
        handle(req, res).catch(() => res.destroy());
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}/`,
        requests,
        bytesSent: () => requests.reduce((n, r) => n + r.sent, 0),
        behave: (path, b) => (b ? behaviours.set(path, b) : behaviours.delete(path)),
        close: () =>
            new Promise((r) => {
                server.closeAllConnections();
                server.close(() => r());
            }),
    };
}
