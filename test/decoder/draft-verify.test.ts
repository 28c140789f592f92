/**
 * The project's own speculative decoding (mode `speculative`, the draft-verify engine) against real
 * GGUF models through real node-llama-cpp: it must write exactly the LLM-only tokens for every draft
 * length, on the fixture pair (unrelated random weights: drafts are mostly rejected, so the rollback
 * path runs constantly) and on the demo pair (trained alike: drafts are mostly accepted).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { loadPair, demoModelPaths, type ModelPair } from "../../src/stitch/index.ts";
import { collect } from "../support/collect.ts";
import { fixtures } from "../support/fixtures.ts";

const ids = (c: { tokens: { id: number }[] }) => c.tokens.map((t) => t.id);

const PAIRS = {
    fixture: { paths: () => fixtures(), prompts: ["What is 2+3?", "Explain recursion in one line.", "12*34="], budget: 48 },
    demo: { paths: () => demoModelPaths(process.cwd()), prompts: ["What is 47 * 36?", "What is 9012 - 4789?", "What is 358 + 6647?"], budget: 160 },
};

for (const [name, spec] of Object.entries(PAIRS)) {
    describe(`speculative mode on the ${name} pair`, () => {
        let pair: ModelPair;
        before(async () => {
            const p = spec.paths();
            pair = await loadPair({ slmPath: p.slm, llmPath: p.llm, threads: 1, contextSize: 1024 });
        });
        after(async () => pair?.dispose());

        test("writes exactly the LLM-only tokens, with the LLM's entropy, for every draft length", async () => {
            let proposed = 0;
            let accepted = 0;
            for (const prompt of spec.prompts) {
                const llm = await collect(pair, { prompt, mode: "llm", budget: spec.budget });
                for (const draftTokens of [1, 3, 8]) {
                    const run = await collect(pair, { prompt, mode: "speculative", draftTokens, budget: spec.budget });
                    assert.deepEqual(ids(run), ids(llm), `${prompt} d=${draftTokens}`);
                    assert.equal(run.done.text, llm.done.text);
                    assert.ok(run.tokens.every((t) => t.source === "llm"));
                    // The view and the trace show each token's entropy: the same the LLM-only run read there.
                    for (const [i, t] of run.tokens.entries()) assert.ok(Math.abs(t.entropy - llm.tokens[i].entropy) < 1e-3, `${prompt} d=${draftTokens} token ${i}: H ${t.entropy} vs ${llm.tokens[i].entropy}`);
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

        test("with a temperature it samples as LLM-only does, under its own mode", async () => {
            const prompt = spec.prompts[0];
            const llm = await collect(pair, { prompt, mode: "llm", temperature: 0.8, seed: 7, budget: 24 });
            const run = await collect(pair, { prompt, mode: "speculative", temperature: 0.8, seed: 7, budget: 24 });
            assert.deepEqual(ids(run), ids(llm));
            assert.equal(run.done.stats.mode, "speculative");
        });
    });
}
