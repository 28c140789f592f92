/**
 * The built CLI's `rstitch load` against a real llama-server with 4 slots (the "done when":
 * `rstitch load … --json` prints the figures with zero errors at N = 4), and what it refuses before
 * sending anything.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { demoModelPaths } from "../../src/stitch/index.ts";
import type { LoadRun } from "../../src/cli/load.ts";
import { runCli } from "../support/cli-child.ts";
import { llamaServerBinary, startLlamaServer, type RunningServer } from "../support/llama-server.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const DEMO = demoModelPaths(ROOT);
const binary = llamaServerBinary();
const skip = "skip" in binary ? binary.skip : false;

const rstitch = (args: string[]) => runCli(args, { timeoutMs: 300_000 });

describe("rstitch load refuses before sending anything", () => {
    test("a server that is not on this machine, without --allow-remote-host", async () => {
        const r = await rstitch(["load", "--llm-url", "http://10.255.0.1:8080", "--clients", "2"]);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /^rstitch: --llm-url http:\/\/10\.255\.0\.1:8080 is not on this machine; .*--allow-remote-host/);
        assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    });

    test("no --llm-url, no --clients, too many clients", async () => {
        assert.match((await rstitch(["load", "--clients", "2"])).stderr, /rstitch load measures an LLM server: give --llm-url URL/);
        assert.match((await rstitch(["load", "--llm-url", "http://127.0.0.1:9"])).stderr, /needs --clients N/);
        const many = await rstitch(["load", "--llm-url", "http://127.0.0.1:9", "--clients", "1,64"]);
        assert.equal(many.code, 2);
        assert.match(many.stderr, /--clients must be between 1 and 32, got 64/);
    });
});

describe("rstitch load --json against llama-server -np 4", { skip }, () => {
    let server: RunningServer;

    before(async () => {
        server = await startLlamaServer((binary as { path: string }).path, DEMO.llm, ["-np", "4", "-c", "8192", "--metrics"]);
    });
    after(async () => {
        await server?.kill();
    });

    test("N = 4: the figures for both modes, zero errors, every client's answers the same", async (t) => {
        const r = await rstitch(["load", "--llm-url", server.url, "--clients", "4", "--problems", "3", "--threads", "1", "--budget", "96", "--json"]);
        assert.equal(r.code, 0, r.stderr);
        const report = JSON.parse(r.stdout) as { runs: LoadRun[]; failures: number; problems: number; peopleAtEqualP95: unknown; server: { url: string } };
        assert.equal(report.failures, 0);
        assert.equal(report.problems, 3);
        assert.equal(report.server.url, server.url);
        assert.equal(report.peopleAtEqualP95, null, "one client count: no curve to read it from");
        const [run] = report.runs;
        assert.equal(run.clients, 4);
        for (const f of [run.stitch, run.llm]) {
            assert.equal(f.clients, 4);
            assert.equal(f.answers, 12, f.mode);
            assert.equal(f.errors, 0, JSON.stringify(f.errorMessages));
            assert.equal(f.notRun, 0);
            assert.equal(f.mismatches, 0);
            assert.ok(f.answersPerMinute > 0 && f.p50Ms > 0 && f.p50Ms <= f.p95Ms, JSON.stringify(f));
            assert.ok(f.llmRequestsPerAnswer >= 1, f.mode);
            // The server's own count of its prompt cache (llama-server --metrics).
            assert.ok(f.server !== null && f.server.promptCacheReuse !== null && f.server.promptCacheReuse >= 0 && f.server.promptCacheReuse <= 1, JSON.stringify(f.server));
        }
        assert.equal(run.stitch.mode, "stitch");
        assert.equal(run.llm.mode, "llm");
        // LLM-only: the LLM writes every token in one request per answer; stitched: only some tokens.
        assert.equal(run.llm.llmTokensPerAnswer, run.llm.tokensPerAnswer);
        assert.equal(run.llm.llmRequestsPerAnswer, 1);
        assert.ok(run.stitch.llmTokensPerAnswer < run.stitch.tokensPerAnswer / 2, `${run.stitch.llmTokensPerAnswer} of ${run.stitch.tokensPerAnswer}`);
        // Each stitched LLM turn extends the prompt the server already holds.
        assert.ok(run.stitch.server!.cachedPromptTokens > run.stitch.server!.promptTokens, JSON.stringify(run.stitch.server));
        t.diagnostic(`p95 stitched ${run.stitch.p95Ms.toFixed(0)} ms, LLM-only ${run.llm.p95Ms.toFixed(0)} ms; cache reuse ${run.stitch.server!.promptCacheReuse!.toFixed(2)}`);
    });
});
