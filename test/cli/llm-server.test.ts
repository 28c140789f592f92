/**
 * The built CLI with its LLM on a real llama-server (the "done when" check): `solve --llm-url
 * … --llm-api openai --json` writes the all-local run's tokens on held-out prompts.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { demoModelPaths } from "../../src/stitch/index.ts";
import { llamaServerBinary, startLlamaServer, type RunningServer } from "../support/llama-server.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const CLI = join(ROOT, "dist", "cli.js");
const DEMO = demoModelPaths(ROOT);
const binary = llamaServerBinary();
const skip = "skip" in binary ? binary.skip : false;
const HELD_OUT = readFileSync(join(ROOT, "data", "heldout.jsonl"), "utf8").trim().split("\n").slice(30, 33).map((l) => (JSON.parse(l) as { prompt: string }).prompt);

interface Run {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** Runs the CLI as a child process without blocking this one (the test's own loopback servers keep answering). */
export function rstitch(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}

interface SolveJson {
    tokens: { id: number; source: string; text: string; entropy: number }[];
    text: string;
    stopReason: string;
    stats: { remote?: { requests: number } };
}

function parsed(r: Run): SolveJson {
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as SolveJson;
}

describe("rstitch solve --llm-url against a real llama-server", { skip }, () => {
    let server: RunningServer;
    before(async () => {
        server = await startLlamaServer((binary as { path: string }).path, DEMO.llm);
    });
    after(async () => {
        await server?.kill();
    });

    for (const [mode, threshold] of [["stitch", "0.03"], ["llm", "0"]] as const) {
        test(`--llm-api openai --json, --mode ${mode} --threshold ${threshold}: the all-local run's tokens on held-out prompts`, async (t) => {
            let llmTokens = 0;
            for (const prompt of HELD_OUT) {
                const common = ["--threads", "1", "--mode", mode, "--threshold", threshold, "--budget", "96", "--json", prompt];
                const local = parsed(await rstitch(["solve", "--slm", DEMO.slm, "--llm", DEMO.llm, ...common]));
                const remote = parsed(await rstitch(["solve", "--slm", DEMO.slm, "--llm-url", server.url, "--llm-api", "openai", ...common]));
                assert.deepEqual(remote.tokens.map((x) => [x.id, x.source, x.text]), local.tokens.map((x) => [x.id, x.source, x.text]), prompt);
                assert.equal(remote.text, local.text);
                assert.equal(remote.stopReason, local.stopReason);
                assert.ok((remote.stats.remote?.requests ?? 0) > 0, "the LLM's tokens came from the server");
                llmTokens += remote.tokens.filter((x) => x.source === "llm").length;
            }
            // The server really wrote part of each answer (else the check would prove nothing about it).
            assert.ok(llmTokens > 0);
            t.diagnostic(`${llmTokens} LLM tokens from the server over ${HELD_OUT.length} prompts`);
        });
    }
});
