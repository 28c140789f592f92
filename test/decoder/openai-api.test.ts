/**
 * The LLM on an OpenAI-compatible server: llama-server's own `/v1/completions` for real (same tokens
 * as the all-local run), and the vLLM and SGLang forms of the same answers through a loopback server
 * that rewrites llama-server's chunks into those engines' fields (test/support/engine-dialect.ts).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { demoModelPaths, loadPair, PairLoadError, type ModelPair } from "../../src/stitch/index.ts";
import { collect } from "../support/collect.ts";
import { startEventProxy } from "../support/event-proxy.ts";
import { startDialectServer, type DialectServer } from "../support/engine-dialect.ts";
import { sameAsLocal } from "../support/same-as-local.ts";
import { llamaServerBinary, startLlamaServer, type RunningServer } from "../support/llama-server.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const DEMO = demoModelPaths(ROOT);
const binary = llamaServerBinary();
const skip = "skip" in binary ? binary.skip : false;
const HELD_OUT = readFileSync(join(ROOT, "data", "heldout.jsonl"), "utf8").trim().split("\n").slice(10, 18).map((l) => (JSON.parse(l) as { prompt: string }).prompt);
const BUDGET = 200;
const TIMEOUT_MS = 30_000;

describe("remote LLM on the OpenAI completions API", { skip }, () => {
    let server: RunningServer;
    let local: ModelPair;
    let remote: ModelPair;

    before(async () => {
        server = await startLlamaServer((binary as { path: string }).path, DEMO.llm);
        local = await loadPair({ slmPath: DEMO.slm, llmPath: DEMO.llm, threads: 1 });
        remote = await loadPair({ slmPath: DEMO.slm, llmPath: "", threads: 1, llmServer: { url: server.url, timeoutMs: TIMEOUT_MS, api: "openai" } });
    });
    after(async () => {
        await remote?.dispose();
        await local?.dispose();
        await server?.kill();
    });

    test("--llm-api openai on llama-server speaks /v1/completions; auto keeps llama-server's own API", async () => {
        assert.match(remote.describe().llm.name, /llama-server, OpenAI API\)$/);
        const auto = await loadPair({ slmPath: DEMO.slm, llmPath: "", threads: 1, llmServer: { url: server.url, timeoutMs: TIMEOUT_MS } });
        try {
            assert.doesNotMatch(auto.describe().llm.name, /OpenAI API/);
        } finally {
            await auto.dispose();
        }
    });

    for (const threshold of [0, 0.03, 1]) {
        test(`llama-server /v1/completions, τ = ${threshold}: tokens, sources and entropies equal the all-local run`, async (t) => {
            const r = await sameAsLocal(local, remote, threshold, HELD_OUT, BUDGET);
            // The whole vocabulary is listed (260 tokens), so H is exact up to float32 rounding.
            assert.ok(r.maxDelta < 1e-4, `max |ΔH| ${r.maxDelta}`);
            if (threshold === 1) assert.equal(r.llmTokens, 0);
            else assert.ok(r.llmTokens > 0);
            t.diagnostic(`${r.llmTokens} LLM tokens, ${r.requests} requests over ${HELD_OUT.length} prompts, max |ΔH| ${r.maxDelta.toExponential(2)}`);
        });
    }
});

describe("OpenAI API failures: nothing lost", { skip }, () => {
    let server: RunningServer;
    let local: ModelPair;
    before(async () => {
        server = await startLlamaServer((binary as { path: string }).path, DEMO.llm);
        local = await loadPair({ slmPath: DEMO.slm, llmPath: DEMO.llm, threads: 1 });
    });
    after(async () => {
        await local?.dispose();
        await server?.kill();
    });

    test("the connection lost mid-answer: the answer ends with the remote-failure message and keeps its text; the next answer succeeds", async () => {
        const proxy = await startEventProxy(server.url);
        const pair = await loadPair({ slmPath: DEMO.slm, llmPath: "", threads: 1, llmServer: { url: proxy.url, timeoutMs: TIMEOUT_MS, api: "openai" } });
        proxy.behaviour.dropAfterEvents = 4;
        try {
            const reference = await collect(local, { prompt: HELD_OUT[1], mode: "llm", budget: BUDGET });
            const tokens: number[] = [];
            let last: { type: string; message?: string } | undefined;
            for await (const e of pair.solve({ prompt: HELD_OUT[1], mode: "llm", budget: BUDGET })) {
                if (e.type === "token") tokens.push(e.id);
                last = e as { type: string; message?: string };
            }
            assert.equal(last?.type, "error");
            assert.match(last!.message!, /dropped the connection in the middle of an answer|ended the answer stream early/);
            assert.ok(tokens.length >= 1);
            assert.deepEqual(tokens, reference.tokens.slice(0, tokens.length).map((x) => x.id));
            proxy.behaviour.dropAfterEvents = undefined;
            const again = await collect(pair, { prompt: HELD_OUT[1], mode: "llm", budget: BUDGET });
            assert.deepEqual(again.tokens.map((x) => x.id), reference.tokens.map((x) => x.id));
        } finally {
            await pair.dispose();
            await proxy.close();
        }
    });

    test("Stop during a slow server's answer ends it at once and hangs up the request", async () => {
        const proxy = await startEventProxy(server.url);
        const pair = await loadPair({ slmPath: DEMO.slm, llmPath: "", threads: 1, llmServer: { url: proxy.url, timeoutMs: TIMEOUT_MS, api: "openai" } });
        proxy.behaviour.delayMs = 400;
        proxy.clientHangups = 0;
        try {
            const stop = new AbortController();
            let last: { type: string; stopReason?: string } | undefined;
            let shown = 0;
            for await (const e of pair.solve({ prompt: HELD_OUT[2], mode: "llm", budget: BUDGET, signal: stop.signal })) {
                if (e.type === "token" && ++shown === 1) stop.abort();
                last = e as { type: string; stopReason?: string };
            }
            assert.equal(last?.type, "done");
            assert.equal(last?.stopReason, "abort");
            for (let i = 0; i < 50 && proxy.open > 0; i++) await new Promise((r) => setTimeout(r, 20));
            assert.equal(proxy.open, 0, "the streaming request is closed");
            assert.equal(proxy.clientHangups, 1);
        } finally {
            await pair.dispose();
            await proxy.close();
        }
    });
});

describe("remote LLM on vLLM's and SGLang's completions fields (scripted over a real llama-server)", { skip }, () => {
    let server: RunningServer;
    let local: ModelPair;
    const dialects: DialectServer[] = [];

    before(async () => {
        server = await startLlamaServer((binary as { path: string }).path, DEMO.llm);
        local = await loadPair({ slmPath: DEMO.slm, llmPath: DEMO.llm, threads: 1 });
    });
    after(async () => {
        await local?.dispose();
        for (const d of dialects) await d.close();
        await server?.kill();
    });

    test("vLLM: token ids asked for, logprobs lowered to the stated --max-logprobs, τ = 0 and 1 exact, every hand-back sure by the upper bound", async (t) => {
        const vllm = await startDialectServer(server.url, "vllm", { maxLogprobs: 20 });
        dialects.push(vllm);
        const pair = await loadPair({ slmPath: DEMO.slm, llmPath: "", threads: 1, llmServer: { url: vllm.url, timeoutMs: TIMEOUT_MS } });
        try {
            assert.match(pair.describe().llm.name, /vllm, OpenAI API\)$/);
            // Asked for the whole vocabulary, refused, then asked for the limit the refusal stated.
            assert.deepEqual(vllm.completions.map((b) => b.logprobs), [260, 20]);
            for (const threshold of [0, 1]) await sameAsLocal(local, pair, threshold, HELD_OUT.slice(0, 4), BUDGET);
            const streamed = vllm.completions.filter((b) => b.stream === true);
            assert.ok(streamed.length > 0 && streamed.every((b) => b.return_tokens_as_token_ids === true && b.logprobs === 20 && b.model === "demo-llm"));
            // 20 of 260 listed: the entropy is an upper bound, so the LLM hands back only where it is surely ≤ τ.
            const run = await collect(pair, { prompt: HELD_OUT[0], mode: "stitch", threshold: 0.03, budget: BUDGET });
            const reference = await collect(local, { prompt: HELD_OUT[0], mode: "stitch", threshold: 0.03, budget: BUDGET });
            for (const s of run.switches.filter((x) => x.from === "llm")) assert.ok(s.entropy <= 0.03);
            t.diagnostic(`τ = 0.03 with 20 log-probabilities: ${run.done.stats.llm.tokens} LLM tokens (all-local: ${reference.done.stats.llm.tokens})`);
        } finally {
            await pair.dispose();
        }
    });

    test("SGLang: text keys turned back into ids, chosen ids from token_ids; tokens equal the all-local run at τ ∈ {0, 0.03, 1}", async () => {
        const sglang = await startDialectServer(server.url, "sglang");
        dialects.push(sglang);
        const pair = await loadPair({ slmPath: DEMO.slm, llmPath: "", threads: 1, llmServer: { url: sglang.url, timeoutMs: TIMEOUT_MS, api: "openai" } });
        try {
            assert.match(pair.describe().llm.name, /sglang, OpenAI API\)$/);
            for (const threshold of [0, 0.03, 1]) await sameAsLocal(local, pair, threshold, HELD_OUT.slice(0, 4), BUDGET);
            assert.ok(sglang.completions.filter((b) => b.stream === true).every((b) => b.return_token_ids === true && b.logprobs === 260));
        } finally {
            await pair.dispose();
        }
    });

    test("an OpenAI-compatible server R-Stitch cannot check is refused, saying why", async () => {
        const other = createServer((req, res) => {
            res.writeHead(req.url === "/v1/models" ? 200 : 404, { "Content-Type": "application/json" });
            res.end(JSON.stringify(req.url === "/v1/models" ? { data: [{ id: "m", owned_by: "someone" }] } : {}));
        });
        await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
        try {
            await assert.rejects(
                loadPair({ slmPath: DEMO.slm, llmPath: "", threads: 1, llmServer: { url: `http://127.0.0.1:${(other.address() as { port: number }).port}`, timeoutMs: TIMEOUT_MS } }),
                (e: unknown) => e instanceof PairLoadError && /cannot check that it uses the SLM's tokenizer, and refuses it/.test(e.message),
            );
        } finally {
            await new Promise((r) => other.close(r));
        }
    });
});
