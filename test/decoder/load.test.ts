/**
 * Many clients on one real llama-server (src/evaluation/load.ts, the engine of `rstitch load`):
 * at N = 8 every answer's tokens equal the single-client run's; and the server killed mid-load and
 * restarted loses nothing — each answer it cut ends with the remote-failure message and keeps its
 * partial text, the answers after the restart succeed, and nothing waits for the timeout. The kill is
 * tied to a token, not to a clock: client 0's first LLM token of an answer that needs the LLM again.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runPhase, type LoadAnswer } from "../../src/evaluation/load.ts";
import type { Problem } from "../../src/evaluation/problems.ts";
import { demoModelPaths, loadPairs, type ModelPair } from "../../src/stitch/index.ts";
import { freePort, llamaServerBinary, startLlamaServer, type RunningServer } from "../support/llama-server.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const DEMO = demoModelPaths(ROOT);
const binary = llamaServerBinary();
const skip = "skip" in binary ? binary.skip : false;
const serverPath = () => (binary as { path: string }).path;

// Problems never used to tune anything; a few, as every client answers each of them.
const PROBLEMS: Problem[] = readFileSync(join(ROOT, "data", "heldout.jsonl"), "utf8").trim().split("\n").slice(50, 62).map((l) => JSON.parse(l) as Problem);
const BUDGET = 96;
const THRESHOLD = 0.03;
const TIMEOUT_MS = 20_000;
const decode = { mode: "stitch" as const, threshold: THRESHOLD, budget: BUDGET };
const LIMIT_MS = 300_000;

/** llama-server with n slots of the tests' usual 2,048-token context each (-c is shared among them). */
const slots = (n: number) => ["-np", String(n), "-c", String(2048 * n), "--metrics"];

function tokensOf(a: LoadAnswer): [number, string][] {
    return a.ids.map((id, i) => [id, a.sources[i]]);
}

describe("many clients on one llama-server", { skip }, () => {
    describe("N = 8 clients at once", () => {
        let server: RunningServer;
        let pairs: ModelPair[];

        before(async () => {
            server = await startLlamaServer(serverPath(), DEMO.llm, slots(8));
            pairs = await loadPairs({ slmPath: DEMO.slm, llmPath: "", threads: 1, llmServer: { url: server.url, timeoutMs: TIMEOUT_MS } }, 8);
        });
        after(async () => {
            for (const pair of pairs ?? []) await pair.dispose();
            await server?.kill();
        });

        test("every answer's tokens and models equal the single-client run's", async (t) => {
            const problems = PROBLEMS.slice(0, 4);
            const single = await runPhase(pairs.slice(0, 1), problems, { decode, timeLimitMs: LIMIT_MS, server: { url: server.url } });
            assert.equal(single.figures.errors, 0, JSON.stringify(single.figures.errorMessages));
            const reference = new Map(single.answers.map((a) => [a.problem, tokensOf(a)]));
            const llmTokens = single.answers.reduce((s, a) => s + a.llmTokens, 0);
            assert.ok(llmTokens > 0, "the LLM wrote some of the answers (the server is exercised)");

            const eight = await runPhase(pairs, problems, { decode, timeLimitMs: LIMIT_MS, server: { url: server.url } });
            assert.equal(eight.figures.errors, 0, JSON.stringify(eight.figures.errorMessages));
            assert.equal(eight.answers.length, 8 * problems.length);
            assert.equal(new Set(eight.answers.map((a) => a.client)).size, 8);
            for (const a of eight.answers) assert.deepEqual(tokensOf(a), reference.get(a.problem), `client ${a.client}, problem ${a.problem}`);
            assert.equal(eight.figures.mismatches, 0);
            // The server says it reused its prompt cache (each LLM turn extends the last request's prompt).
            assert.ok(eight.figures.server && eight.figures.server.cachedPromptTokens > 0, JSON.stringify(eight.figures.server));
            t.diagnostic(`${eight.answers.length} answers, ${llmTokens} LLM tokens per pass, p95 ${eight.figures.p95Ms.toFixed(0)} ms, cache reuse ${eight.figures.server?.promptCacheReuse?.toFixed(2)}`);
        });
    });

    describe("the server killed mid-load and restarted", () => {
        const N = 4;
        let server: RunningServer;
        let pairs: ModelPair[];
        let port: number;

        before(async () => {
            port = await freePort();
            server = await startLlamaServer(serverPath(), DEMO.llm, slots(N), port);
            pairs = await loadPairs({ slmPath: DEMO.slm, llmPath: "", threads: 1, llmServer: { url: server.url, timeoutMs: TIMEOUT_MS } }, N);
        });
        after(async () => {
            for (const pair of pairs ?? []) await pair.dispose();
            await server?.kill();
        });

        test("the cut answers end with the remote-failure message and keep their text; the later ones succeed; nothing waits for the timeout", async () => {
            // The reference, one client, before anything is killed.
            const all = await runPhase(pairs.slice(0, 1), PROBLEMS, { decode, timeLimitMs: LIMIT_MS });
            assert.equal(all.figures.errors, 0);
            const turns = (a: LoadAnswer) => a.sources.filter((s, i) => s === "llm" && a.sources[i - 1] !== "llm").length;
            // Client 0 starts on a problem whose answer goes to the LLM at least twice, so once its first
            // LLM token has arrived there is always a later request to fail.
            const first = all.answers.find((a) => turns(a) >= 2);
            assert.ok(first, "a held-out problem with two LLM turns");
            const problems = [PROBLEMS[first.problem], ...PROBLEMS.filter((_, i) => i !== first.problem)].slice(0, 6);
            const reference = new Map(problems.map((p, i) => [i, tokensOf(all.answers.find((a) => PROBLEMS[a.problem] === p)!)]));

            let killedAt: number | undefined;
            let restarted: Promise<void> | undefined;
            let openGate!: () => void;
            const waiting = new Set<number>();
            const answered = new Map<number, number>();
            const startedAfterRestart = new Set<string>();
            let restartDone = false;
            const maybeRestart = () => {
                // Every client is at the gate or through its problems: nothing is in flight; restart.
                const through = [...answered.values()].filter((n) => n === problems.length).length;
                if (killedAt === undefined || restartDone || waiting.size + through < N) return;
                restartDone = true;
                void startLlamaServer(serverPath(), DEMO.llm, slots(N), port).then((s) => {
                    server = s;
                    openGate();
                });
            };
            const run = await runPhase(pairs, problems, {
                decode,
                timeLimitMs: LIMIT_MS,
                hooks: {
                    beforeAnswer: async (client, problem) => {
                        if (!restarted) return;
                        // After the kill no answer starts until every client is here: then the restart.
                        waiting.add(client);
                        maybeRestart();
                        await restarted;
                        waiting.delete(client);
                        startedAfterRestart.add(`${client}/${problem}`);
                    },
                    onEvent: async (client, problem, e) => {
                        if (killedAt === undefined && client === 0 && problem === 0 && e.type === "token" && e.source === "llm") {
                            killedAt = performance.now();
                            restarted = new Promise((resolve) => (openGate = resolve));
                            await server.kill();
                        }
                    },
                    onAnswer: (a) => {
                        answered.set(a.client, (answered.get(a.client) ?? 0) + 1);
                        maybeRestart();
                    },
                },
            });
            assert.ok(killedAt !== undefined && restartDone, "killed and restarted");
            assert.equal(run.answers.length, N * problems.length, "every answer ran");

            const cut = run.answers.filter((a) => a.error !== undefined);
            assert.ok(cut.some((a) => a.client === 0 && a.problem === 0), "client 0's answer was cut");
            for (const a of cut) {
                assert.match(a.error!, /^Decoding failed: (Cannot reach the LLM server at http:\/\/127\.0\.0\.1:\d+: connection refused|The LLM server at http:\/\/127\.0\.0\.1:\d+ (dropped the connection in the middle of an answer|ended the answer stream early))/, a.error);
                // Its partial text is kept: the tokens it wrote are the reference's first ones.
                assert.deepEqual(tokensOf(a), reference.get(a.problem)!.slice(0, a.ids.length), `client ${a.client}, problem ${a.problem}`);
                assert.ok(!startedAfterRestart.has(`${a.client}/${a.problem}`), "no answer started after the restart failed");
            }
            const zero = cut.find((a) => a.client === 0 && a.problem === 0)!;
            assert.ok(zero.ids.length > 0 && zero.text.length > 0, "client 0 had written text before the kill, and keeps it");
            for (const a of run.answers.filter((x) => x.error === undefined)) {
                assert.deepEqual(tokensOf(a), reference.get(a.problem), `client ${a.client}, problem ${a.problem}`);
            }
            assert.ok(startedAfterRestart.size >= N, "answers ran after the restart");
            // Nothing waited out the timeout: no answer ended on it, and the cut ones ended within it.
            for (const a of cut) assert.doesNotMatch(a.error!, /sent nothing for/);
            assert.ok(cut.every((a) => a.ms < TIMEOUT_MS), `longest cut answer ${Math.max(...cut.map((a) => a.ms)).toFixed(0)} ms`);
        });
    });
});
