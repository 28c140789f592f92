/** A prompt longer than the models' trained context names that limit, instead of advising a larger setting. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { demoModelPaths, loadPair, type StitchEvent } from "../../src/stitch/index.ts";

test("the demo pair (trained for 512 tokens) refuses a 700-token prompt naming the trained limit, even with a 2048 setting", async () => {
    const demo = demoModelPaths(process.cwd());
    const pair = await loadPair({ slmPath: demo.slm, llmPath: demo.llm, contextSize: 2048, threads: 1 });
    try {
        assert.equal(pair.contextSize, 512);
        const events: StitchEvent[] = [];
        for await (const e of pair.solve({ prompt: "x ".repeat(350), budget: 8 })) events.push(e);
        const error = events.find((e) => e.type === "error");
        assert.ok(error && error.type === "error", JSON.stringify(events.at(-1)));
        assert.equal(error.code, "prompt-too-long");
        assert.match(error.message, /does not fit: these models were trained for a context of 512 tokens, prompt and answer together, which cannot be raised\. Shorten the prompt\./);
        assert.doesNotMatch(error.message, /raise the context size/);
    } finally {
        await pair.dispose();
    }
});
