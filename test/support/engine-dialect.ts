/**
 * A loopback server that answers as vLLM or SGLang would, from a real llama-server behind it: the
 * model listing, the engine's tokenize/detokenize endpoints, and `/v1/completions` chunks rewritten
 * from llama-server's `logprobs.content[]` into the OpenAI legacy fields those engines send:
 *  - vLLM: keys "token_id:N" when the request asks `return_tokens_as_token_ids`, token text otherwise;
 *    more than `maxLogprobs` log-probabilities refused with HTTP 400 stating the limit (--max-logprobs);
 *  - SGLang: keys are token text, a text shared by several tokens kept once (the most likely, as SGLang
 *    does), the chosen ids in `token_ids` when the request asks `return_token_ids`.
 * Only the fields are scripted; every token and probability is the real server's.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export type Dialect = "vllm" | "sglang";

export interface DialectServer {
    url: string;
    /** The bodies of the /v1/completions requests received, in order. */
    completions: Record<string, unknown>[];
    close(): Promise<void>;
}

interface ContentEntry {
    id: number;
    token: string;
    bytes?: number[];
    logprob: number;
    top_logprobs: { id: number; token: string; bytes?: number[]; logprob: number }[];
}

const text = (e: { token: string; bytes?: number[] }) => (e.bytes ? Buffer.from(e.bytes).toString("utf8") : e.token);

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
}

function rewrite(dialect: Dialect, request: Record<string, unknown>, choice: Record<string, unknown>): Record<string, unknown> {
    const content = (choice.logprobs as { content?: ContentEntry[] } | null)?.content;
    if (!content) return { ...choice, logprobs: null };
    const asIds = dialect === "vllm" && request.return_tokens_as_token_ids === true;
    const key = (e: { id: number; token: string; bytes?: number[] }) => (asIds ? `token_id:${e.id}` : text(e));
    const top = content.map((e) => {
        const entry: Record<string, number> = {};
        for (const t of e.top_logprobs) {
            const k = key(t);
            if (dialect === "sglang") entry[k] ??= t.logprob;
            else entry[k] = t.logprob;
        }
        return entry;
    });
    const out: Record<string, unknown> = {
        text: choice.text,
        index: 0,
        finish_reason: choice.finish_reason,
        logprobs: { tokens: content.map(key), token_logprobs: content.map((e) => e.logprob), top_logprobs: top, text_offset: content.map(() => -1) },
    };
    if (dialect === "sglang" && request.return_token_ids === true) out.token_ids = content.map((e) => e.id);
    return out;
}

export async function startDialectServer(target: string, dialect: Dialect, options: { maxLogprobs?: number } = {}): Promise<DialectServer> {
    const completions: Record<string, unknown>[] = [];
    const up = (path: string, b: unknown) => fetch(target + path, { method: "POST", body: JSON.stringify(b), headers: { "Content-Type": "application/json" } });
    const json = (res: ServerResponse, status: number, value: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(value));
    };
    const server: Server = createServer((req, res) => {
        void (async () => {
            const prefix = dialect === "sglang" ? "/v1" : "";
            if (req.method === "GET" && req.url === "/v1/models") {
                return json(res, 200, { object: "list", data: [{ id: "demo-llm", object: "model", owned_by: dialect, max_model_len: 2048 }] });
            }
            const b = await body(req);
            if (req.url === `${prefix}/tokenize`) {
                const answer = (await (await up("/tokenize", { content: b.prompt, add_special: b.add_special_tokens === true, parse_special: false })).json()) as { tokens: number[] };
                return json(res, 200, { tokens: answer.tokens, count: answer.tokens.length, max_model_len: 2048 });
            }
            if (req.url === `${prefix}/detokenize`) {
                const ids = (dialect === "sglang" ? (b.tokens as number[][]).flat() : b.tokens) as number[];
                const answer = (await (await up("/tokenize", { content: ids, with_pieces: true })).json()) as { tokens: { piece: string | number[] }[] };
                const pieces = answer.tokens.map((t) => (typeof t.piece === "string" ? Buffer.from(t.piece) : Buffer.from(t.piece)));
                if (dialect === "sglang") return json(res, 200, { text: pieces.map((p) => p.toString("utf8")) });
                return json(res, 200, { prompt: Buffer.concat(pieces).toString("utf8") });
            }
            if (req.url === "/v1/completions") {
                completions.push(b);
                const max = options.maxLogprobs;
                if (max !== undefined && typeof b.logprobs === "number" && b.logprobs > max) {
                    return json(res, 400, { object: "error", message: `Requested sample logprobs of ${b.logprobs}, which is greater than max allowed: ${max}`, type: "BadRequestError", code: 400 });
                }
                const forwarded = { prompt: b.prompt, max_tokens: b.max_tokens, temperature: b.temperature, logprobs: b.logprobs, stream: b.stream === true };
                const answer = await up("/v1/completions", forwarded);
                if (!forwarded.stream) {
                    const whole = (await answer.json()) as { choices: Record<string, unknown>[] };
                    return json(res, 200, { ...whole, choices: whole.choices.map((c) => rewrite(dialect, b, c)) });
                }
                res.writeHead(200, { "Content-Type": "text/event-stream" });
                const reader = answer.body!.getReader();
                const decoder = new TextDecoder();
                let buffer = "";
                res.on("close", () => void reader.cancel().catch(() => undefined));
                for (;;) {
                    const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
                    if (done) break;
                    buffer += decoder.decode(value, { stream: true });
                    let cut: number;
                    while ((cut = buffer.indexOf("\n\n")) >= 0) {
                        const event = buffer.slice(0, cut).replace(/^data: /, "");
                        buffer = buffer.slice(cut + 2);
                        if (event === "[DONE]") res.write("data: [DONE]\n\n");
                        else {
                            const chunk = JSON.parse(event) as { choices: Record<string, unknown>[] };
                            res.write(`data: ${JSON.stringify({ ...chunk, choices: chunk.choices.map((c) => rewrite(dialect, b, c)) })}\n\n`);
                        }
                    }
                }
                return res.end();
            }
            json(res, 404, { detail: "Not Found" });
        })().catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
        completions,
        close: () => new Promise((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}
