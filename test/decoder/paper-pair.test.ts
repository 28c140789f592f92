/**
 * The paper-regime pair (models/paper-*.gguf, models/MODEL_CARD.md) is in the regime it claims: the LLM
 * alone writes the long style, the SLM opens the short one, and R-Stitch keeps the SLM's short text while
 * the LLM takes the positions the SLM is unsure of, reaching the LLM's answers in fewer tokens.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { answersMatch, finalAnswer, loadPair } from "../../src/stitch/index.ts";
import { collect } from "../support/collect.ts";

const problems = readFileSync("data/tune.jsonl", "utf8").trim().split("\n").slice(0, 6).map((l) => JSON.parse(l) as { prompt: string; answer: string });

test("paper pair: LLM long, SLM short, R-Stitch short with the LLM's answers", async () => {
    const pair = await loadPair({ slmPath: "models/paper-slm.gguf", llmPath: "models/paper-llm.gguf", threads: 1 });
    try {
        let llmTokens = 0;
        let stitchTokens = 0;
        let handedOver = 0;
        for (const p of problems) {
            const llm = await collect(pair, { prompt: p.prompt, mode: "llm", budget: 200 });
            const slm = await collect(pair, { prompt: p.prompt, mode: "slm", budget: 200 });
            const stitched = await collect(pair, { prompt: p.prompt, mode: "stitch", threshold: 0.03, budget: 200 });
            assert.ok(!llm.done.text.startsWith("~"), `the LLM opens in the long style: ${llm.done.text.slice(0, 20)}`);
            assert.ok(slm.done.text.startsWith("~"), `the SLM opens in the short style: ${slm.done.text.slice(0, 20)}`);
            assert.ok(stitched.done.text.startsWith("~"), "R-Stitch keeps the SLM's style");
            assert.ok(answersMatch(finalAnswer(llm.done.text)?.value ?? "", p.answer), `LLM-only solves ${p.prompt}`);
            assert.ok(answersMatch(finalAnswer(stitched.done.text)?.value ?? "", p.answer), `R-Stitch solves ${p.prompt}: ${stitched.done.text}`);
            llmTokens += llm.tokens.length;
            stitchTokens += stitched.tokens.length;
            if (stitched.tokens.some((t) => t.source === "llm")) handedOver++;
        }
        assert.ok(stitchTokens < 0.85 * llmTokens, `stitched traces are shorter: ${stitchTokens} vs ${llmTokens} tokens`);
        assert.ok(handedOver >= problems.length / 2, `the LLM wrote part of most answers (${handedOver} of ${problems.length})`);
    } finally {
        await pair.dispose();
    }
});
