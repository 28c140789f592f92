/**
 * The project's own speculative modes against real GGUF models through real node-llama-cpp:
 * draft-verify must write exactly the LLM-only tokens and stitch-spec exactly plain R-Stitch's tokens
 * at the same τ, on the fixture pair (unrelated random weights: drafts are mostly rejected, so the
 * rollback path runs constantly) and on the demo pair (trained alike: drafts are mostly accepted).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { loadPair, demoModelPaths, type ModelPair } from "../../src/stitch/index.ts";
import { collect } from "../support/collect.ts";
import { fixtures } from "../support/fixtures.ts";

const ids = (c: { tokens: { id: number }[] }) => c.tokens.map((t) => t.id);
const sources = (c: { tokens: { source: string }[] }) => c.tokens.map((t) => t.source).join("");

const PAIRS = {
    fixture: { paths: () => fixtures(), prompts: ["What is 2+3?", "Explain recursion in one line.", "12*34="], budget: 48, taus: [0.08, 0.15] },
    demo: { paths: () => demoModelPaths(process.cwd()), prompts: ["What is 47 * 36?", "What is 9012 - 4789?", "What is 358 + 6647?"], budget: 160, taus: [0.01, 0.05] },
};

for (const [name, spec] of Object.entries(PAIRS)) {
    describe(`own speculative modes on the ${name} pair`, () => {
        let pair: ModelPair;
        before(async () => {
            const p = spec.paths();
            pair = await loadPair({ slmPath: p.slm, llmPath: p.llm, threads: 1, contextSize: 1024 });
        });
        after(async () => pair?.dispose());

        test("draft-verify writes exactly the LLM-only tokens for every draft length", async () => {
            let proposed = 0;
            let accepted = 0;
            for (const prompt of spec.prompts) {
                const llm = await collect(pair, { prompt, mode: "llm", budget: spec.budget });
                for (const draftTokens of [1, 3, 8]) {
                    const run = await collect(pair, { prompt, mode: "draft-verify", draftTokens, budget: spec.budget });
                    assert.deepEqual(ids(run), ids(llm), `${prompt} d=${draftTokens}`);
                    assert.equal(run.done.text, llm.done.text);
                    assert.ok(run.tokens.every((t) => t.source === "llm"));
                    const d = run.done.stats.draft!;
                    assert.ok(d.accepted <= d.proposed && d.proposed <= draftTokens * d.llmPasses!);
                    // Every LLM pass keeps its accepted drafts plus one token of its own (at the end that
                    // token may be the end-of-generation token, which is not output).
                    const own = d.llmPasses! - (run.done.stopReason === "eog" ? 1 : 0);
                    if (run.done.stopReason !== "stopTrigger") assert.equal(run.done.stats.totalTokens, d.accepted + own);
                    assert.equal(run.done.stats.llm.calls, d.llmPasses);
                    proposed += d.proposed;
                    accepted += d.accepted;
                }
            }
            if (name === "demo") assert.ok(accepted / proposed > 0.5, `the demo SLM imitates the LLM: ${accepted}/${proposed} drafts accepted`);
            else assert.ok(accepted < proposed, "unrelated models: some drafts are rejected and rolled back");
        });

        for (const [mode, tau] of spec.taus.flatMap((t) => [["stitch-spec", t], ["stitch-eager", t]] as const)) {
            test(`${mode} at τ = ${tau} writes exactly plain R-Stitch's tokens, from the same models`, async () => {
                let llmTokens = 0;
                for (const prompt of spec.prompts) {
                    const plain = await collect(pair, { prompt, mode: "stitch", threshold: tau, budget: spec.budget });
                    const fast = await collect(pair, { prompt, mode, threshold: tau, draftTokens: 4, budget: spec.budget });
                    assert.deepEqual(ids(fast), ids(plain), prompt);
                    assert.equal(sources(fast), sources(plain), `${prompt}: every token is attributed to the same model`);
                    assert.deepEqual(fast.switches.map((s) => [s.index, s.from, s.to]), plain.switches.map((s) => [s.index, s.from, s.to]));
                    assert.equal(fast.done.stats.switches, plain.done.stats.switches);
                    if (mode === "stitch-spec") assert.ok(fast.done.stats.llm.calls <= plain.done.stats.llm.calls, "verification never needs more LLM passes");
                    // The next solve on the same pair starts clean even if a read-ahead was still running.
                    assert.deepEqual(ids(await collect(pair, { prompt, mode: "llm", budget: 24 })), ids(await collect(pair, { prompt, mode: "llm", budget: 24 })));
                    llmTokens += plain.done.stats.llm.tokens;
                }
                assert.ok(llmTokens > 0, "the LLM wrote some tokens, so its spans were decoded speculatively");
            });
        }
    });
}
