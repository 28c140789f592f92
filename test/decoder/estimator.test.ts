/**
 * The top-k entropy estimate used for large vocabularies, against exact full-vocabulary entropy, on
 * real 151,936-entry models: same greedy tokens, and the same routing decision at ≥ 99% of positions.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { loadPair, type ModelPair } from "../../src/stitch/index.ts";
import { collect } from "../support/collect.ts";
import { fixtures } from "../support/fixtures.ts";

// The paper's normalised thresholds, and a few more.
const THRESHOLDS = [0.001, 0.02, 0.03, 0.05, 0.1];
const PROMPTS = ["What is 2+3?", "Name a prime."];

let pair: ModelPair;
before(async () => {
    const f = fixtures();
    pair = await loadPair({ slmPath: f.largeVocabSlm, llmPath: f.largeVocabLlm, threads: 1, contextSize: 512 });
});
after(async () => pair?.dispose());

test("auto picks the estimate at 151k entries and it agrees with exact entropy", async (t) => {
    const exact: number[] = [];
    const estimate: number[] = [];
    for (const prompt of PROMPTS) {
        for (const mode of ["slm", "llm"] as const) {
            const ex = await collect(pair, { prompt, mode, budget: 40, entropy: "exact" });
            const auto = await collect(pair, { prompt, mode, budget: 40 });
            assert.deepEqual(auto.tokens.map((x) => x.id), ex.tokens.map((x) => x.id), "greedy stays greedy");
            exact.push(...ex.tokens.map((x) => x.entropy));
            estimate.push(...auto.tokens.map((x) => x.entropy));
        }
    }
    const meanAbs = exact.reduce((a, h, i) => a + Math.abs(h - estimate[i]), 0) / exact.length;
    t.diagnostic(`positions ${exact.length}, mean |H_exact - H_topk| = ${meanAbs.toExponential(2)}`);
    for (const tau of THRESHOLDS) {
        const agree = exact.filter((h, i) => (h > tau) === (estimate[i] > tau)).length / exact.length;
        t.diagnostic(`τ = ${tau}: routing decisions agree at ${(agree * 100).toFixed(2)}% of positions`);
        assert.ok(agree >= 0.99, `τ = ${tau}: agreement ${(agree * 100).toFixed(2)}% < 99%`);
    }
    // Both sides must actually straddle the thresholds for the agreement to mean anything.
    assert.ok(exact.some((h) => h > 0.05) && exact.some((h) => h < 0.02));
});
