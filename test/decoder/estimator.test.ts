/**
 * The entropy reading used for large vocabularies (`auto` → tail: a top-p mass probe over the whole
 * vocabulary) against exact full-vocabulary entropy, on real 151,936-entry models: the sharp fixture
 * pair, and the heavy-tailed pair whose top 40 entries often hold under 90% of the mass. Greedy tokens
 * must equal exact's, and routing decisions must agree at ≥ 99.5% of positions for every τ.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { loadPair, type ModelPair } from "../../src/stitch/index.ts";
import { collect } from "../support/collect.ts";
import { fixtures } from "../support/fixtures.ts";
import { heavyTailFixtures } from "../support/heavy-tail.ts";

// The paper's normalised thresholds, and a few more.
const THRESHOLDS = [0.001, 0.01, 0.02, 0.03, 0.05, 0.1];
const PROMPTS = ["What is 2+3?", "Name a prime."];
const BUDGET = 30;

interface Readings { exact: number[]; auto: number[]; topk: number[] }

/** Greedy runs of each model alone, read exactly, by `auto` and by the old top-40 estimate. */
async function readAll(pair: ModelPair): Promise<Readings> {
    const out: Readings = { exact: [], auto: [], topk: [] };
    for (const prompt of PROMPTS) {
        for (const mode of ["slm", "llm"] as const) {
            const ex = await collect(pair, { prompt, mode, budget: BUDGET, entropy: "exact" });
            const auto = await collect(pair, { prompt, mode, budget: BUDGET });
            const topk = await collect(pair, { prompt, mode, budget: BUDGET, entropy: "topk" });
            assert.deepEqual(auto.tokens.map((x) => x.id), ex.tokens.map((x) => x.id), `${mode} "${prompt}": greedy stays greedy`);
            assert.deepEqual(topk.tokens.map((x) => x.id), ex.tokens.map((x) => x.id));
            out.exact.push(...ex.tokens.map((x) => x.entropy));
            out.auto.push(...auto.tokens.map((x) => x.entropy));
            out.topk.push(...topk.tokens.map((x) => x.entropy));
        }
    }
    return out;
}

const agreement = (exact: number[], est: number[], tau: number) =>
    exact.filter((h, i) => (h > tau) === (est[i] > tau)).length / exact.length;
const meanAbs = (exact: number[], est: number[]) => exact.reduce((a, h, i) => a + Math.abs(h - est[i]), 0) / exact.length;

for (const [label, paths] of [
    ["heavy-tailed", () => heavyTailFixtures()],
    ["sharp", () => { const f = fixtures(); return { slm: f.largeVocabSlm, llm: f.largeVocabLlm }; }],
] as const) {
    describe(`${label} 151,936-entry pair`, () => {
        let pair: ModelPair;
        before(async () => {
            const p = paths();
            pair = await loadPair({ slmPath: p.slm, llmPath: p.llm, threads: 1, contextSize: 512 });
        });
        after(async () => pair?.dispose());

        test("auto reads the tail and routes as exact entropy does", async (t) => {
            const r = await readAll(pair);
            t.diagnostic(`positions ${r.exact.length}; mean |H_exact − H_auto| = ${meanAbs(r.exact, r.auto).toExponential(2)}, top-40: ${meanAbs(r.exact, r.topk).toExponential(2)}`);
            for (const tau of THRESHOLDS) {
                const agree = agreement(r.exact, r.auto, tau);
                t.diagnostic(`τ = ${tau}: auto agrees at ${(agree * 100).toFixed(2)}%, top-40 at ${(agreement(r.exact, r.topk, tau) * 100).toFixed(2)}%`);
                assert.ok(agree >= 0.995, `τ = ${tau}: agreement ${(agree * 100).toFixed(2)}% < 99.5%`);
            }
            // The agreement means something only if exact entropy straddles the thresholds.
            assert.ok(r.exact.some((h) => h > 0.05) && r.exact.some((h) => h < 0.02));
            if (label === "heavy-tailed") {
                // The tail must matter on this fixture: top-40 renormalised reads it far off, auto does not.
                assert.ok(meanAbs(r.exact, r.topk) > 0.01, `top-40 error ${meanAbs(r.exact, r.topk)}: the fixture has no real tail`);
                assert.ok(meanAbs(r.exact, r.auto) < meanAbs(r.exact, r.topk) / 10);
            }
        });
    });
}
