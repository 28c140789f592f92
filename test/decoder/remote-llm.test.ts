/**
 * The LLM served by a real llama-server (built by .ci/install-llama.sh from the llama.cpp source inside
 * node-llama-cpp), the SLM local: same tokens as the all-local run, and the failures a user meets —
 * server killed, connection dropped mid-answer, slow server and Stop, silent server, wrong key,
 * another tokenizer, nothing listening.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import { demoModelPaths, loadPair, PairLoadError, type ModelPair, type SolveOptions, type StitchEvent, type TokenEvent } from "../../src/stitch/index.ts";
import { collect } from "../support/collect.ts";
import { startEventProxy } from "../support/event-proxy.ts";
import { fixtures } from "../support/fixtures.ts";
import { sameAsLocal } from "../support/same-as-local.ts";
import { freePort, llamaServerBinary, startLlamaServer, type RunningServer } from "../support/llama-server.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const DEMO = demoModelPaths(ROOT);
const binary = llamaServerBinary();
const skip = "skip" in binary ? binary.skip : false;

const HELD_OUT = readFileSync(join(ROOT, "data", "heldout.jsonl"), "utf8").trim().split("\n").slice(0, 10).map((l) => (JSON.parse(l) as { prompt: string }).prompt);
const BUDGET = 200;
const TIMEOUT_MS = 30_000;

async function events(pair: ModelPair, options: SolveOptions, onEvent?: (e: StitchEvent, tokens: number) => void | Promise<void>): Promise<{ tokens: TokenEvent[]; last: StitchEvent }> {
    const tokens: TokenEvent[] = [];
    let last: StitchEvent | undefined;
    for await (const e of pair.solve(options)) {
        if (e.type === "token") tokens.push(e);
        last = e;
        await onEvent?.(e, tokens.length);
    }
    return { tokens, last: last! };
}

describe("remote LLM on llama-server", { skip }, () => {
    let server: RunningServer;
    let local: ModelPair;
    let remote: ModelPair;
    const serverPath = () => (binary as { path: string }).path;

    before(async () => {
        server = await startLlamaServer(serverPath(), DEMO.llm);
        local = await loadPair({ slmPath: DEMO.slm, llmPath: DEMO.llm, threads: 1 });
        remote = await loadPair({ slmPath: DEMO.slm, llmPath: "", threads: 1, llmServer: { url: server.url, timeoutMs: TIMEOUT_MS } });
    });
    after(async () => {
        await remote?.dispose();
        await local?.dispose();
        await server?.kill();
    });

    test("the pair says where the LLM runs and takes its vocabulary from the server", () => {
        assert.equal(remote.remoteLlm?.url, server.url);
        assert.equal(local.remoteLlm, undefined);
        assert.equal(remote.describe().llm.vocabularySize, local.describe().llm.vocabularySize);
    });

    for (const threshold of [0, 0.03, 1]) {
        test(`τ = ${threshold}, greedy: the stitched tokens, their sources and entropies equal the all-local run on held-out prompts`, async (t) => {
            const { maxDelta, llmTokens } = await sameAsLocal(local, remote, threshold, HELD_OUT, BUDGET);
            // The server's probabilities are float32 softmax values sent as float logarithms.
            assert.ok(maxDelta < 1e-4, `max |ΔH| between the builds ${maxDelta}`);
            t.diagnostic(`max |ΔH| local vs server ${maxDelta.toExponential(2)}, ${llmTokens} LLM tokens over ${HELD_OUT.length} prompts`);
            if (threshold === 1) assert.equal(llmTokens, 0);
            else assert.ok(llmTokens > 0);
        });
    }

    test("at τ = 0.03 each LLM turn is one request, closed at the first sure token", async () => {
        const run = await collect(remote, { prompt: HELD_OUT[0], mode: "stitch", threshold: 0.03, budget: BUDGET });
        const turns = run.switches.filter((s) => s.to === "llm").length;
        assert.ok(turns >= 1);
        assert.equal(run.done.stats.remote?.requests, turns);
        assert.equal(run.done.stats.remote?.unreported, 0);
        // Every LLM → SLM switch came from a token at or under τ (the stream was closed there).
        for (const s of run.switches.filter((x) => x.from === "llm")) assert.ok(s.entropy <= 0.03, `hand-back at H=${s.entropy}`);
        assert.equal(run.done.stats.llm.calls, run.done.stats.llm.tokens);
    });

    test("CLI: rstitch bench --llm-url measures local and remote LLM rows on the same problems", async () => {
        const dir = mkdtempSync(join(tmpdir(), "rstitch-remote-bench-"));
        try {
            const file = join(dir, "problems.jsonl");
            writeFileSync(file, readFileSync(join(ROOT, "data", "heldout.jsonl"), "utf8").trim().split("\n").slice(0, 2).join("\n") + "\n");
            await promisify(execFile)(process.execPath, [join(ROOT, "dist", "cli.js"), "bench", "--file", file, "--thresholds", "0.03", "--drafts", "2",
                "--peers", "none", "--threads", "1", "--budget", String(BUDGET), "--llm-url", server.url, "--out", dir]);
            type Row = { config: { id: string; backend: string }; answers: (string | null)[]; tokens: number[]; switches: number; remote: { requestsPerProblem: number; roundTripMs: number } | null };
            const report = JSON.parse(readFileSync(join(dir, "bench.json"), "utf8")) as { configs: Row[]; remoteLlm: { url: string } | null };
            const row = (id: string) => report.configs.find((c) => c.config.id === id)!;
            assert.equal(report.remoteLlm?.url, server.url);
            for (const [local, remote] of [["llm", "remote-llm"], ["stitch-0.03", "remote-stitch-0.03"]]) {
                assert.ok(row(remote), `a ${remote} row`);
                assert.equal(row(remote).config.backend, "remote");
                // Same decoder, same greedy tokens: only where the LLM runs differs.
                assert.deepEqual(row(remote).answers, row(local).answers, remote);
                assert.deepEqual(row(remote).tokens, row(local).tokens, remote);
                assert.equal(row(local).remote, null);
                assert.ok(row(remote).remote!.roundTripMs > 0, "a measured round trip");
            }
            // LLM only: one request per answer; stitched: one per LLM turn (a switch to the LLM, or the first token).
            assert.equal(row("remote-llm").remote!.requestsPerProblem, 1);
            assert.ok(row("remote-stitch-0.03").remote!.requestsPerProblem >= row("remote-stitch-0.03").switches / 2);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    test("CLI: rstitch solve --llm-url gives the all-local tokens at τ = 0.03", async () => {
        const cli = async (...args: string[]) => {
            const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, "dist", "cli.js"), "solve", "--json", "--threads", "1", "--threshold", "0.03", "--budget", String(BUDGET), ...args]);
            return JSON.parse(stdout) as { tokens: { id: number; source: string }[]; stats: { llm: { tokens: number } } };
        };
        for (const prompt of HELD_OUT.slice(0, 3)) {
            const here = await cli(prompt);
            const there = await cli("--llm-url", server.url, prompt);
            assert.deepEqual(there.tokens.map((x) => [x.id, x.source]), here.tokens.map((x) => [x.id, x.source]), prompt);
        }
    });

    test("a connection dropped mid-answer: a clear error, the tokens written so far kept", async () => {
        const proxy = await startEventProxy(server.url, { dropAfterEvents: 4 });
        const pair = await loadPair({ slmPath: DEMO.slm, llmPath: "", threads: 1, llmServer: { url: proxy.url, timeoutMs: TIMEOUT_MS } });
        try {
            const reference = await collect(local, { prompt: HELD_OUT[1], mode: "llm", budget: BUDGET });
            const { tokens, last } = await events(pair, { prompt: HELD_OUT[1], mode: "llm", budget: BUDGET });
            assert.equal(last.type, "error");
            assert.match((last as { message: string }).message, /dropped the connection in the middle of an answer|ended the answer stream early/);
            assert.equal(tokens.length, 4);
            assert.deepEqual(tokens.map((x) => x.id), reference.tokens.slice(0, 4).map((x) => x.id));
            // The pair stays usable: the next answer through the real server works.
        } finally {
            await pair.dispose();
            await proxy.close();
        }
    });

    test("Stop during a slow server's answer ends at once with stopReason abort and hangs up the request", async () => {
        const proxy = await startEventProxy(server.url, { delayMs: 400 });
        const pair = await loadPair({ slmPath: DEMO.slm, llmPath: "", threads: 1, llmServer: { url: proxy.url, timeoutMs: TIMEOUT_MS } });
        try {
            const reference = await collect(local, { prompt: HELD_OUT[2], mode: "llm", budget: BUDGET });
            const stop = new AbortController();
            const { tokens, last } = await events(pair, { prompt: HELD_OUT[2], mode: "llm", budget: BUDGET, signal: stop.signal }, (e) => {
                if (e.type === "token") stop.abort();
            });
            assert.equal(last.type, "done");
            assert.equal((last as { stopReason: string }).stopReason, "abort");
            // Stopped at the first token shown (plus any the output was still holding back), the rest never read.
            assert.ok(tokens.length >= 1 && tokens.length < reference.tokens.length / 2, `${tokens.length} of ${reference.tokens.length}`);
            assert.deepEqual(tokens.map((x) => x.id), reference.tokens.slice(0, tokens.length).map((x) => x.id));
            for (let i = 0; i < 50 && proxy.open > 0; i++) await new Promise((r) => setTimeout(r, 20));
            assert.equal(proxy.open, 0, "the streaming request is closed");
            assert.equal(proxy.clientHangups, 1);
        } finally {
            await pair.dispose();
            await proxy.close();
        }
    });

    test("a server that never answers: the request times out with a clear message instead of hanging", async () => {
        const proxy = await startEventProxy(server.url, { silent: true });
        const pair = await loadPair({ slmPath: DEMO.slm, llmPath: "", threads: 1, llmServer: { url: proxy.url, timeoutMs: 1500 } });
        try {
            const { last } = await events(pair, { prompt: HELD_OUT[3], mode: "stitch", threshold: 0.03, budget: BUDGET });
            assert.equal(last.type, "error");
            assert.match((last as { message: string }).message, /sent nothing for 1\.5 s.*rstitch\.LLMServerTimeout/);
            for (let i = 0; i < 50 && proxy.open > 0; i++) await new Promise((r) => setTimeout(r, 20));
            assert.equal(proxy.open, 0, "the timed-out request is closed, not left hanging");
        } finally {
            await pair.dispose();
            await proxy.close();
        }
    });

    test("the server killed between LLM turns: the next turn fails clearly, the answer so far is kept", async () => {
        const own = await startLlamaServer(serverPath(), DEMO.llm);
        const pair = await loadPair({ slmPath: DEMO.slm, llmPath: "", threads: 1, llmServer: { url: own.url, timeoutMs: TIMEOUT_MS } });
        try {
            let prompt = "";
            let reference;
            for (const p of HELD_OUT) {
                reference = await collect(local, { prompt: p, mode: "stitch", threshold: 0.03, budget: BUDGET });
                prompt = p;
                if (reference.switches.filter((s) => s.to === "llm").length >= 2) break;
            }
            assert.ok(reference && reference.switches.filter((s) => s.to === "llm").length >= 2, "a held-out prompt with two LLM turns");
            const { tokens, last } = await events(pair, { prompt, mode: "stitch", threshold: 0.03, budget: BUDGET }, async (e) => {
                if (e.type === "switch" && e.from === "llm") await own.kill();
            });
            assert.equal(last.type, "error");
            // Killed at the first hand-back, so the next LLM turn finds nobody listening.
            assert.match((last as { message: string }).message, /Cannot reach the LLM server at .*connection refused/);
            assert.ok(tokens.length > 0);
            assert.deepEqual(tokens.map((x) => x.id), reference!.tokens.slice(0, tokens.length).map((x) => x.id));
        } finally {
            await pair.dispose();
            await own.kill();
        }
    });

    test("a server whose tokenizer differs is refused before the first request, naming the difference", async () => {
        const f = fixtures();
        const other = await startLlamaServer(serverPath(), f.otherTokenizer);
        try {
            await assert.rejects(
                loadPair({ slmPath: f.slm, llmPath: "", threads: 1, llmServer: { url: other.url, timeoutMs: TIMEOUT_MS } }),
                (e: unknown) => e instanceof PairLoadError && e.code === "tokenizer-mismatch" && /tokenizer differs from the local small model's \(token \d+ is /.test(e.message),
            );
        } finally {
            await other.kill();
        }
    });

    test("an API key: refused without it (clear message), accepted with it", async () => {
        const keyed = await startLlamaServer(serverPath(), DEMO.llm, ["--api-key", "s3cret"]);
        try {
            await assert.rejects(
                loadPair({ slmPath: DEMO.slm, llmPath: "", threads: 1, llmServer: { url: keyed.url, apiKey: "wrong", timeoutMs: TIMEOUT_MS } }),
                (e: unknown) => e instanceof PairLoadError && e.code === "server" && /refused the API key \(HTTP 401/.test(e.message),
            );
            const pair = await loadPair({ slmPath: DEMO.slm, llmPath: "", threads: 1, llmServer: { url: keyed.url, apiKey: "s3cret", timeoutMs: TIMEOUT_MS } });
            try {
                const run = await collect(pair, { prompt: HELD_OUT[4], mode: "llm", budget: 32 });
                assert.equal(run.tokens.length > 0, true);
            } finally {
                await pair.dispose();
            }
        } finally {
            await keyed.kill();
        }
    });

    test("nothing listening at the URL: a clear 'connection refused' message when the pair loads", async () => {
        const port = await freePort();
        await assert.rejects(
            loadPair({ slmPath: DEMO.slm, llmPath: "", threads: 1, llmServer: { url: `http://127.0.0.1:${port}`, timeoutMs: TIMEOUT_MS } }),
            (e: unknown) => e instanceof PairLoadError && e.code === "server" && /Cannot reach the LLM server at http:\/\/127\.0\.0\.1:\d+: connection refused/.test(e.message),
        );
    });

    test("speculative mode needs a local LLM and says so", async () => {
        const { last } = await events(remote, { prompt: HELD_OUT[0], mode: "speculative" });
        assert.equal(last.type, "error");
        assert.match((last as { message: string }).message, /Speculative mode needs the LLM on this machine/);
    });
});
