/**
 * Routing at step boundaries (the bench lever `--step-thresholds`) on the real demo pair through
 * real node-llama-cpp, on held-out problems: every LLM span is a whole step (it starts where a step
 * starts and ends with a line's last token, or the answer), every step start is routed by the SLM's
 * own entropy there against τ_s, and the pinned edges stay the single-model modes.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { loadPair, type ModelPair, type SolveOptions } from "../../src/stitch/index.ts";
import { endsStep } from "../../src/stitch/route-features.ts";
import { collect } from "../support/collect.ts";

const PROMPTS = readFileSync("data/heldout.jsonl", "utf8").trim().split("\n").slice(30, 34).map((l) => (JSON.parse(l) as { prompt: string }).prompt);
const BUDGET = 160;
const TAU_S = 0.05;
const ids = (c: { tokens: { id: number }[] }) => c.tokens.map((t) => t.id);

describe("step routing on the demo pair", () => {
    let pair: ModelPair;

    before(async () => {
        pair = await loadPair({ slmPath: "models/demo-slm.gguf", llmPath: "models/demo-llm.gguf", threads: 1, contextSize: 1024 });
    });
    after(async () => {
        await pair?.dispose();
    });

    test("each step is written whole by the model its first token's SLM entropy chose", async () => {
        let llmSteps = 0;
        let slmSteps = 0;
        for (const prompt of PROMPTS) {
            // The SLM's entropy at each position it predicted, first prediction per position.
            const slmEntropy = new Map<number, number>();
            const observe: SolveOptions["observe"] = (o) => {
                if (o.source === "slm" && !slmEntropy.has(o.index)) slmEntropy.set(o.index, o.entropy);
            };
            const r = await collect(pair, { prompt, mode: "stitch", stepThreshold: TAU_S, budget: BUDGET, observe });
            const t = r.tokens;
            assert.ok(t.length > 10 && t.some((x) => endsStep(x.text)), `a multi-line answer: ${JSON.stringify(r.done.text)}`);
            const isStart = (i: number) => i === 0 || endsStep(t[i - 1].text);
            for (let i = 0; i < t.length; i++) {
                if (!isStart(i)) {
                    assert.equal(t[i].source, t[i - 1].source, `${prompt}: no switch inside a step (position ${i})`);
                    continue;
                }
                const h = slmEntropy.get(i);
                assert.ok(h !== undefined, `${prompt}: the SLM predicted step start ${i}`);
                assert.equal(t[i].source, h > TAU_S ? "llm" : "slm", `${prompt}: step start ${i}, SLM H ${h}`);
                if (t[i].source === "llm") llmSteps++;
                else slmSteps++;
            }
            // LLM spans, start to end.
            for (let i = 0; i < t.length; i++) {
                if (t[i].source !== "llm" || (i > 0 && t[i - 1].source === "llm")) continue;
                let end = i;
                while (end + 1 < t.length && t[end + 1].source === "llm") end++;
                assert.ok(isStart(i), `${prompt}: the LLM span at ${i} starts a step`);
                assert.ok(endsStep(t[end].text) || end === t.length - 1, `${prompt}: the LLM span ${i}..${end} ends with a newline token or the answer`);
            }
            for (const s of r.switches) {
                assert.match(s.reason ?? "", s.to === "llm" ? /^step start: H \d\.\d{3} > τ_s 0\.05$/ : /^step end: /, JSON.stringify(s));
                if (s.to === "llm") assert.ok(isStart(s.index) && s.entropy > TAU_S);
            }
            assert.equal(r.done.stats.llm.tokens, t.filter((x) => x.source === "llm").length);
        }
        // Both branches ran: some steps went to the LLM, some stayed with the SLM.
        assert.ok(llmSteps > 0 && slmSteps > 0, `${llmSteps} LLM steps, ${slmSteps} SLM steps`);
    });

    test("the pinned edges are unaffected: τ = 0 is LLM only and τ = 1 SLM only with the lever set", async () => {
        const prompt = PROMPTS[0];
        const llm = ids(await collect(pair, { prompt, mode: "llm", budget: BUDGET }));
        const slm = ids(await collect(pair, { prompt, mode: "slm", budget: BUDGET }));
        assert.deepEqual(ids(await collect(pair, { prompt, mode: "stitch", threshold: 0, stepThreshold: TAU_S, budget: BUDGET })), llm);
        assert.deepEqual(ids(await collect(pair, { prompt, mode: "stitch", threshold: 1, stepThreshold: TAU_S, budget: BUDGET })), slm);
    });
});
