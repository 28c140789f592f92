/**
 * Starts the llama-server that .ci/install-llama.sh builds from the llama.cpp source inside
 * node-llama-cpp, on 127.0.0.1 and a free port, for the remote-LLM tests.
 */
import { defaultFlashAttention } from "../../src/stitch/defaults.ts";
import { spawn, type ChildProcess } from "node:child_process";
import { findLlamaTools, freePort } from "../../src/evaluation/llama-server.ts";

/** Path of the llama-server binary ($RSTITCH_LLAMA_DIR, as the benchmark finds it), or a reason why the tests that need it are skipped. */
export function llamaServerBinary(): { path: string } | { skip: string } {
    const tools = findLlamaTools();
    return typeof tools === "string" ? { skip: tools } : { path: tools.server };
}

export { freePort };

export interface RunningServer {
    url: string;
    process: ChildProcess;
    /** Kills it (SIGKILL: as a crash would) and waits for the exit. */
    kill(): Promise<void>;
    log(): string;
}

/**
 * `extra` goes after the defaults (llama-server takes the last value of a repeated option, e.g. `-np 4`);
 * `port`: this one instead of a free one (a restart on the address the clients know).
 */
export async function startLlamaServer(binary: string, model: string, extra: string[] = [], port?: number): Promise<RunningServer> {
    port ??= await freePort();
    // Flash attention as the local pair runs it (defaultFlashAttention on the CPU), so the two sides compute alike.
    const fa = defaultFlashAttention(0) ? "on" : "off";
    const child = spawn(binary, ["-m", model, "-t", "1", "-c", "2048", "-np", "1", "-fa", fa, "--host", "127.0.0.1", "--port", String(port), ...extra], { stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout!.on("data", (d) => (log = (log + d).slice(-20_000)));
    child.stderr!.on("data", (d) => (log = (log + d).slice(-20_000)));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const url = `http://127.0.0.1:${port}`;
    const server: RunningServer = {
        url,
        process: child,
        kill: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
            await exited;
        },
        log: () => log,
    };
    for (let i = 0; i < 600; i++) {
        if (child.exitCode !== null) throw new Error(`llama-server exited (${child.exitCode}) on start:\n${log}`);
        try {
            const r = await fetch(url + "/health");
            if (r.ok) return server;
        } catch {
            // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
    }
    await server.kill();
    throw new Error(`llama-server did not become healthy in 60 s:\n${log}`);
}
