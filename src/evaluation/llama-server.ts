/**
 * llama.cpp's own decoding as an external peer: llama-server (built by .ci/install-llama.sh from the
 * llama.cpp source inside node-llama-cpp) serving the same GGUF files, asked for the same prompt
 * token ids, greedy. One server per configuration (LLM only, SLM only, speculative with the SLM as
 * draft), all started before the run so the bench can interleave them problem by problem.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

/**
 * The one variable that says where .ci/install-llama.sh put llama.cpp's tools, read by the benchmark
 * and the tests alike (and by the install script itself).
 */
export const LLAMA_DIR_VARIABLE = "RSTITCH_LLAMA_DIR";
export const DEFAULT_LLAMA_DIR = "/opt/rstitch-llama";

/** `env.json` in the llama.cpp folder: `{"tag", "server", "speculative"}` as the install script writes it. */
export function llamaEnvPath(env: NodeJS.ProcessEnv = process.env): string {
    return join(env[LLAMA_DIR_VARIABLE] || DEFAULT_LLAMA_DIR, "env.json");
}

export const LLAMA_ENV_PATH = llamaEnvPath();

export interface LlamaTools {
    tag: string;
    server: string;
}

/** The installed llama.cpp tools, or a reason why there are none. */
export function findLlamaTools(path = LLAMA_ENV_PATH): LlamaTools | string {
    if (!existsSync(path)) return `llama.cpp tools not installed (${path} missing; run .ci/install-llama.sh)`;
    try {
        const env = JSON.parse(readFileSync(path, "utf8")) as Partial<LlamaTools>;
        if (!env.server || !existsSync(env.server)) return `llama-server named in ${path} not found`;
        return { tag: env.tag ?? "unknown", server: env.server };
    } catch (e) {
        return `${path} is not readable JSON: ${(e as Error).message}`;
    }
}

export interface ServerSetup {
    model: string;
    /** Draft model for speculative decoding, with its draft length. */
    draft?: { model: string; tokens: number };
    threads: number;
    contextSize: number;
    /** llama.cpp's flash attention: the same choice as the project's own rows; undefined: llama-server's default (auto). */
    flashAttention?: boolean;
    /** Answers served at once (-np), each with contextSize tokens (default 1). */
    slots?: number;
    /** Serve /metrics (its prompt-cache counters; rstitch load reads them). */
    metrics?: boolean;
}

export interface Completion {
    content: string;
    /** Tokens generated. */
    tokens: number;
    wallMs: number;
    /** Time llama.cpp reports inside the model (prompt + generation). */
    modelMs: number;
    draft?: { proposed: number; accepted: number };
}

/** A free TCP port on loopback (the OS picks it; it is released before the server binds it). */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const s = createServer();
        s.once("error", reject);
        s.listen(0, "127.0.0.1", () => {
            const port = (s.address() as { port: number }).port;
            s.close(() => resolve(port));
        });
    });
}

export class LlamaServer {
    private constructor(private readonly child: ChildProcess, readonly url: string) {}

    static async start(tools: LlamaTools, setup: ServerSetup): Promise<LlamaServer> {
        const port = await freePort();
        const slots = setup.slots ?? 1;
        // -c is shared among the slots: each gets contextSize.
        const args = ["-m", setup.model, "-t", String(setup.threads), "-c", String(setup.contextSize * slots), "-np", String(slots),
            "--host", "127.0.0.1", "--port", String(port)];
        if (setup.metrics) args.push("--metrics");
        if (setup.flashAttention !== undefined) args.push("-fa", setup.flashAttention ? "on" : "off");
        if (setup.draft) {
            args.push("-md", setup.draft.model, "--spec-type", "draft-simple", "--spec-draft-n-max", String(setup.draft.tokens),
                "--spec-draft-n-min", "0", "-td", String(setup.threads));
        }
        const child = spawn(tools.server, args, { stdio: ["ignore", "ignore", "pipe"] });
        let log = "";
        child.stderr!.on("data", (d: Buffer) => { log = (log + d.toString()).slice(-4000); });
        const server = new LlamaServer(child, `http://127.0.0.1:${port}`);
        const deadline = Date.now() + 60_000;
        while (Date.now() < deadline) {
            if (child.exitCode !== null) throw new Error(`llama-server exited (${child.exitCode}): ${log.slice(-500)}`);
            try {
                if ((await fetch(`${server.url}/health`)).ok) return server;
            } catch { /* not listening yet */ }
            await new Promise((r) => setTimeout(r, 100));
        }
        server.stop();
        throw new Error(`llama-server did not become healthy within 60 s: ${log.slice(-500)}`);
    }

    /** Greedy completion of a prompt given as token ids. */
    async complete(prompt: readonly number[], budget: number): Promise<Completion> {
        const started = performance.now();
        const response = await fetch(`${this.url}/completion`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ prompt, n_predict: budget, temperature: 0, cache_prompt: false }),
        });
        if (!response.ok) throw new Error(`llama-server answered ${response.status}: ${await response.text()}`);
        const body = await response.json() as {
            content: string;
            timings: { prompt_ms: number; predicted_n: number; predicted_ms: number; draft_n?: number; draft_n_accepted?: number };
        };
        const wallMs = performance.now() - started;
        const t = body.timings;
        return {
            content: body.content,
            tokens: t.predicted_n,
            wallMs,
            modelMs: t.prompt_ms + t.predicted_ms,
            draft: t.draft_n !== undefined ? { proposed: t.draft_n, accepted: t.draft_n_accepted ?? 0 } : undefined,
        };
    }

    stop(): void {
        if (this.child.exitCode === null) this.child.kill("SIGTERM");
    }
}
