/**
 * The decoder against real GGUF files through real node-llama-cpp. The invariants of docs/ARCHITECTURE.md §1,
 * and an oracle that re-derives every routing decision of a stitched run from each model alone.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { MODE_TABLE, MODES } from "../../src/modes.ts";
import { loadPair, type DoneEvent, type ModelPair } from "../../src/stitch/index.ts";
import { collect } from "../support/collect.ts";
import { fixtures } from "../support/fixtures.ts";
import { Reference, type Reading } from "../support/reference.ts";

const PROMPTS = ["What is 2+3?", "Explain recursion in one line.", "12*34=", "List three colours.", "Why is the sky blue?"];
const BUDGET = 48;
const TOLERANCE = 1e-3;
const ids = (c: { tokens: { id: number }[] }) => c.tokens.map((t) => t.id);

describe("stitched decoder on real GGUF models", () => {
    let pair: ModelPair;
    let slmRef: Reference;
    let llmRef: Reference;

    before(async () => {
        const f = fixtures();
        pair = await loadPair({ slmPath: f.slm, llmPath: f.llm, threads: 1, contextSize: 1024 });
        slmRef = await Reference.load(f.slm);
        llmRef = await Reference.load(f.llm);
    });
    after(async () => {
        await pair?.dispose();
        await slmRef?.dispose();
        await llmRef?.dispose();
    });

    test("τ = 1 gives exactly the SLM-only tokens, which are node-llama-cpp's own greedy tokens", async () => {
        for (const prompt of PROMPTS) {
            const slm = await collect(pair, { prompt, mode: "slm", budget: BUDGET });
            const stitched = await collect(pair, { prompt, mode: "stitch", threshold: 1, budget: BUDGET });
            assert.deepEqual(ids(stitched), ids(slm), prompt);
            assert.deepEqual(ids(slm), await slmRef.greedy(prompt, BUDGET), prompt);
            assert.ok(stitched.tokens.every((t) => t.source === "slm"));
            assert.equal(stitched.done.stats.llm.calls, 0, "the LLM is never evaluated (lazy prefill)");
        }
    });

    test("τ = 0 gives exactly the LLM-only tokens, which are node-llama-cpp's own greedy tokens", async () => {
        for (const prompt of PROMPTS) {
            const llm = await collect(pair, { prompt, mode: "llm", budget: BUDGET });
            const stitched = await collect(pair, { prompt, mode: "stitch", threshold: 0, budget: BUDGET });
            assert.deepEqual(ids(stitched), ids(llm), prompt);
            assert.deepEqual(ids(llm), await llmRef.greedy(prompt, BUDGET), prompt);
            assert.ok(stitched.tokens.every((t) => t.source === "llm"));
            assert.equal(stitched.done.stats.slm.calls, 0);
        }
    });

    // Every mode of the table that pins τ writes exactly that one model's tokens, whatever its engine.
    for (const mode of MODES.filter((m) => MODE_TABLE[m].tau !== "threshold")) {
        const only = MODE_TABLE[mode].tau === 0 ? "llm" : "slm";
        test(`${mode} mode writes exactly the ${only.toUpperCase()}-only tokens`, async () => {
            for (const prompt of PROMPTS.slice(0, 2)) {
                const reference = await (only === "llm" ? llmRef : slmRef).greedy(prompt, BUDGET);
                const run = await collect(pair, { prompt, mode, budget: BUDGET });
                assert.deepEqual(ids(run), reference, prompt);
                assert.ok(run.tokens.every((t) => t.source === only));
                assert.equal(run.done.stats.mode, mode);
                if (MODE_TABLE[mode].drafts) assert.ok(run.done.stats.draft, "draft statistics are reported");
            }
        });
    }

    for (const tau of [0.08, 0.15]) {
        test(`at τ = ${tau} every token and every switch follows from each model's own distribution`, async () => {
            let slmTokens = 0;
            let llmTokens = 0;
            let handBacks = 0;
            let positions = 0;
            let ambiguous = 0;
            for (const prompt of PROMPTS) {
                const run = await collect(pair, { prompt, mode: "stitch", threshold: tau, budget: BUDGET });
                const out = ids(run);
                const s = await slmRef.readings(prompt, out);
                const l = await llmRef.readings(prompt, out);
                // Replay docs/ARCHITECTURE.md §1 on the oracle's readings. Batched and one-token evaluation agree to
                // ~1e-4 in H, so a decision with H within TOLERANCE of τ is taken from the run itself.
                const discardAt = (i: number) => run.switches.some((sw) => sw.index === i && sw.from === "slm");
                const handBackAfter = (i: number) => run.switches.some((sw) => sw.index === i + 1 && sw.from === "llm");
                let active: "slm" | "llm" = "slm";
                let discarded = 0;
                for (let i = 0; i < out.length; i++) {
                    positions++;
                    if (active === "slm") {
                        const near = Math.abs(s[i].entropy - tau) < TOLERANCE;
                        if (near) ambiguous++;
                        else assert.equal(discardAt(i), s[i].entropy > tau, `${prompt} position ${i}: SLM H ${s[i].entropy} vs τ`);
                        if (discardAt(i)) {
                            active = "llm";
                            discarded++;
                        }
                    }
                    const reading: Reading = active === "slm" ? s[i] : l[i];
                    const t = run.tokens[i];
                    assert.equal(t.source, active, `${prompt} position ${i}: source`);
                    assert.equal(t.id, reading.greedy, `${prompt} position ${i}: token is the writer's greedy choice`);
                    assert.ok(Math.abs(t.entropy - reading.entropy) < TOLERANCE, `${prompt} position ${i}: entropy ${t.entropy} vs ${reading.entropy}`);
                    if (active === "llm") {
                        const near = Math.abs(l[i].entropy - tau) < TOLERANCE;
                        if (near) ambiguous++;
                        else if (i + 1 < out.length) assert.equal(handBackAfter(i), l[i].entropy <= tau, `${prompt} position ${i}: LLM H ${l[i].entropy} vs τ`);
                        if (handBackAfter(i)) {
                            active = "slm";
                            handBacks++;
                        }
                    }
                }
                assert.equal(run.done.stats.discardedSlmTokens, discarded, `${prompt}: discarded SLM tokens`);
                slmTokens += run.done.stats.slm.tokens;
                llmTokens += run.done.stats.llm.tokens;
            }
            assert.ok(slmTokens > 0 && llmTokens > 0, `both models write (SLM ${slmTokens}, LLM ${llmTokens})`);
            assert.ok(handBacks > 0, "the LLM hands back at least once");
            assert.ok(ambiguous <= positions * 0.05, `${ambiguous} of ${positions} decisions too close to τ to check`);
        });
    }

    test("attribution and stats agree with the token list", async () => {
        for (const prompt of PROMPTS) {
            const run = await collect(pair, { prompt, mode: "stitch", threshold: 0.1, budget: BUDGET });
            const { stats } = run.done;
            const bySource = (s: string) => run.tokens.filter((t) => t.source === s).length;
            assert.equal(stats.slm.tokens, bySource("slm"));
            assert.equal(stats.llm.tokens, bySource("llm"));
            assert.equal(stats.totalTokens, run.tokens.length);
            assert.equal(stats.slm.tokens + stats.llm.tokens, stats.totalTokens);
            assert.equal(stats.switches, run.switches.length);
            assert.equal(stats.discardedSlmTokens, run.switches.filter((s) => s.from === "slm").length);
            assert.equal(stats.llm.calls, stats.llm.tokens, "one LLM forward pass per position it was active");
            assert.equal(stats.slm.calls, stats.slm.tokens + stats.discardedSlmTokens);
            assert.ok(Math.abs(stats.llmShare - stats.llm.tokens / Math.max(1, stats.totalTokens)) < 1e-12);
            assert.deepEqual(run.tokens.map((t) => t.index), run.tokens.map((_, i) => i));
            assert.equal(run.done.text, run.tokens.map((t) => t.text).join(""));
            assert.equal(run.done.text, slmRef.model.detokenize(ids(run) as never));
            for (const t of run.tokens) assert.ok(t.entropy >= 0 && t.entropy <= 1);
            // The last switch at a position names that position's writer.
            for (const t of run.tokens) {
                const last = run.switches.filter((sw) => sw.index === t.index).pop();
                if (last) assert.equal(t.source, last.to, `position ${t.index}`);
            }
        }
    });

    test("runs are deterministic, greedy and sampled with a seed", async () => {
        // From the same state (an empty sequence) every event repeats, entropies to the last digit.
        const a = await collect(pair, { prompt: PROMPTS[0], threshold: 0.1, budget: BUDGET, reuse: false });
        const b = await collect(pair, { prompt: PROMPTS[0], threshold: 0.1, budget: BUDGET, reuse: false });
        assert.deepEqual(a.events.filter((e) => e.type !== "done"), b.events.filter((e) => e.type !== "done"));
        // Asked again while the models still hold the prompt, only its last token is evaluated: the same
        // tokens from the same models (entropies may differ in the last digits: llama.cpp's sums depend on the batch).
        const again = await collect(pair, { prompt: PROMPTS[0], threshold: 0.1, budget: BUDGET });
        assert.equal(again.done.stats.prompt!.prefill.slm, 1);
        assert.deepEqual(again.tokens.map((t) => [t.id, t.source]), a.tokens.map((t) => [t.id, t.source]));
        const c = await collect(pair, { prompt: PROMPTS[1], threshold: 0.1, budget: BUDGET, temperature: 0.8, seed: 7 });
        const d = await collect(pair, { prompt: PROMPTS[1], threshold: 0.1, budget: BUDGET, temperature: 0.8, seed: 7 });
        assert.deepEqual(ids(c), ids(d));
    });

    test("the budget caps the output", async () => {
        const run = await collect(pair, { prompt: PROMPTS[3], mode: "llm", budget: 5 });
        assert.equal(run.tokens.length, 5);
        assert.equal(run.done.stopReason, "budget");
    });

    test("an abort stops within one token and leaves the pair reusable", async () => {
        for (const mode of ["stitch", "llm"] as const) {
            const full = await collect(pair, { prompt: PROMPTS[4], mode, threshold: 0.1, budget: BUDGET });
            const controller = new AbortController();
            const seen: number[] = [];
            let done: DoneEvent | undefined;
            for await (const e of pair.solve({ prompt: PROMPTS[4], mode, threshold: 0.1, budget: BUDGET, signal: controller.signal })) {
                if (e.type === "token") {
                    seen.push(e.id);
                    controller.abort();
                }
                if (e.type === "done") done = e;
            }
            assert.equal(done?.stopReason, "abort", mode);
            assert.ok(seen.length < full.tokens.length, `${mode}: stopped early (${seen.length} of ${full.tokens.length})`);
            assert.deepEqual(seen, ids(full).slice(0, seen.length));
            // No forward pass after the abort: in LLM-only mode every pass became a kept token.
            if (mode === "llm") assert.equal(done?.stats.llm.calls, done?.stats.totalTokens);
            const again = await collect(pair, { prompt: PROMPTS[4], mode, threshold: 0.1, budget: BUDGET });
            assert.deepEqual(ids(again), ids(full), `${mode}: same answer after an aborted run`);
        }
    });

    test("a second request while one runs is refused with a clear message", async () => {
        const first = pair.solve({ prompt: PROMPTS[0], budget: BUDGET });
        await first.next();
        const second = await collect(pair, { prompt: PROMPTS[1] }).catch((e: Error) => e);
        assert.ok(second instanceof Error && /already running/.test(second.message));
        await first.return(undefined);
        assert.equal(pair.busy, false);
        await collect(pair, { prompt: PROMPTS[1], budget: 4 });
    });
});
