/**
 * A busy LLM server (HTTP 429 / 503 with Retry-After) in front of a real llama-server, on both APIs:
 * waited for before an answer begins (connect, the answer's first request), never mid-answer, at most
 * MAX_BUSY_WAITS times, and Stop ends the wait at once.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { demoModelPaths, loadPair, type ModelPair, type SolveOptions, type StitchEvent } from "../../src/stitch/index.ts";
import { MAX_BUSY_WAITS } from "../../src/stitch/remote/busy-wait.ts";
import { collect } from "../support/collect.ts";
import { startEventProxy, type EventProxy } from "../support/event-proxy.ts";
import { llamaServerBinary, startLlamaServer, type RunningServer } from "../support/llama-server.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const DEMO = demoModelPaths(ROOT);
const binary = llamaServerBinary();
const skip = "skip" in binary ? binary.skip : false;
const HELD_OUT = readFileSync(join(ROOT, "data", "heldout.jsonl"), "utf8").trim().split("\n").slice(40, 42).map((l) => (JSON.parse(l) as { prompt: string }).prompt);
const BUDGET = 48;
const TIMEOUT_MS = 30_000;

async function run(pair: ModelPair, options: SolveOptions): Promise<{ tokens: number[]; last: StitchEvent }> {
    const tokens: number[] = [];
    let last: StitchEvent | undefined;
    for await (const e of pair.solve(options)) {
        if (e.type === "token") tokens.push(e.id);
        last = e;
    }
    return { tokens, last: last! };
}

describe("a busy LLM server: Retry-After honoured before an answer begins, never mid-answer", { skip }, () => {
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

    for (const api of ["llama", "openai"] as const) {
        describe(`--llm-api ${api}`, () => {
            let proxy: EventProxy;
            let pair: ModelPair;
            before(async () => {
                proxy = await startEventProxy(server.url);
                // The very first request of the connect is answered 503 + Retry-After: 1.
                proxy.behaviour.busy = { status: 503, retryAfter: "1", count: 1, requests: "any" };
                pair = await loadPair({ slmPath: DEMO.slm, llmPath: "", threads: 1, llmServer: { url: proxy.url, timeoutMs: TIMEOUT_MS, api } });
            });
            after(async () => {
                await pair?.dispose();
                await proxy?.close();
            });

            test("connect waits once as asked, then checks the server and connects", () => {
                assert.equal(proxy.busyAnswered.length, 1);
                assert.ok(!proxy.busyAnswered[0].includes("completion"), proxy.busyAnswered[0]);
                if (api === "openai") assert.match(pair.describe().llm.name, /OpenAI API\)$/);
                else assert.doesNotMatch(pair.describe().llm.name, /OpenAI API/);
            });

            test("the answer's first request waits (503, then 429) and the answer equals the all-local one", async () => {
                const options: SolveOptions = { prompt: HELD_OUT[0], mode: "llm", budget: BUDGET };
                const reference = await collect(local, options);
                for (const status of [503, 429] as const) {
                    proxy.busyAnswered = [];
                    proxy.behaviour.busy = { status, retryAfter: "1", count: 1, requests: "completion" };
                    const r = await run(pair, options);
                    assert.equal(r.last.type, "done", JSON.stringify(r.last));
                    assert.deepEqual(r.tokens, reference.tokens.map((x) => x.id));
                    assert.equal(proxy.busyAnswered.length, 1);
                }
            });

            test(`bounded: a server busy for good is asked ${MAX_BUSY_WAITS + 1} times, then the answer ends saying so`, async () => {
                proxy.busyAnswered = [];
                proxy.behaviour.busy = { status: 503, retryAfter: "0", count: 100, requests: "completion" };
                const r = await run(pair, { prompt: HELD_OUT[0], mode: "llm", budget: BUDGET });
                proxy.behaviour.busy = undefined;
                assert.equal(r.last.type, "error");
                assert.match((r.last as { message: string }).message, new RegExp(`busy \\(HTTP 503: Loading model\\) and still was after ${MAX_BUSY_WAITS} waits`));
                assert.equal(proxy.busyAnswered.length, MAX_BUSY_WAITS + 1);
                assert.deepEqual(r.tokens, []);
            });

            test("mid-answer a busy reply is not waited for: the answer ends with the remote-failure message and keeps its text", async () => {
                // τ > 0 starts with the SLM, so the LLM's first request comes after written tokens.
                const options: SolveOptions = { prompt: HELD_OUT[1], mode: "stitch", threshold: 0.03, budget: BUDGET };
                const reference = await collect(local, options);
                const firstLlm = reference.tokens.findIndex((x) => x.source === "llm");
                assert.ok(firstLlm > 0, "the reference hands over to the LLM after the SLM wrote something");
                proxy.busyAnswered = [];
                proxy.behaviour.busy = { status: 503, retryAfter: "1", count: 1, requests: "completion" };
                const r = await run(pair, options);
                assert.equal(r.last.type, "error");
                assert.match((r.last as { message: string }).message, /busy \(HTTP 503.*in the middle of an answer; the text so far is kept/);
                assert.equal(proxy.busyAnswered.length, 1);
                assert.ok(r.tokens.length >= firstLlm);
                assert.deepEqual(r.tokens, reference.tokens.slice(0, r.tokens.length).map((x) => x.id));
            });

            // A wait Stop did not end would last the 30 s the server asked for: past this test's limit.
            test("Stop during the wait ends the answer at once, sending nothing more", { timeout: 15_000 }, async () => {
                proxy.busyAnswered = [];
                const passed = proxy.completionsPassed;
                proxy.behaviour.busy = { status: 503, retryAfter: "30", count: 1, requests: "completion" };
                const stop = new AbortController();
                proxy.onBusy = () => stop.abort();
                try {
                    const r = await run(pair, { prompt: HELD_OUT[0], mode: "llm", budget: BUDGET, signal: stop.signal });
                    assert.equal(r.last.type, "done", JSON.stringify(r.last));
                    assert.equal((r.last as { stopReason: string }).stopReason, "abort");
                    assert.deepEqual(r.tokens, []);
                    assert.equal(proxy.busyAnswered.length, 1);
                    assert.equal(proxy.completionsPassed, passed);
                } finally {
                    proxy.onBusy = undefined;
                }
            });
        });
    }
});
