/** The stats line says when earlier turns were left out of a conversation (never a silent cut), in the words the CLI uses. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { leftOutNote } from "../../src/stitch/prompt.ts";
import type { StitchStats } from "../../src/protocol.ts";
import { statsLine } from "../../webview/format.ts";

const model = { tokens: 1, prefillTokens: 1, calls: 1, wallMs: 1 };
const stats = (prompt?: StitchStats["prompt"]): StitchStats => ({
    mode: "stitch", threshold: 0.02, slm: model, llm: model, totalTokens: 2, switches: 0, discardedSlmTokens: 0, llmShare: 0.5, wallMs: 10, tokensPerSecond: 200,
    ...(prompt ? { prompt } : {}),
});

test("two turns left out: the turn's stats line says so, as the CLI's note does", () => {
    const prompt = { tokens: 900, prefill: { slm: 40, llm: 0 }, turnsLeftOut: 2, contextSize: 2048 };
    assert.match(statsLine(stats(prompt), "eog"), / · 2 earlier turns left out to fit the context of 2048 tokens$/);
    assert.equal(leftOutNote(prompt), "2 earlier turns left out to fit the context of 2048 tokens");
});

test("nothing left out, or stats from before conversations: no note", () => {
    assert.doesNotMatch(statsLine(stats({ tokens: 90, prefill: { slm: 40, llm: 0 }, turnsLeftOut: 0, contextSize: 2048 }), "eog"), /left out/);
    assert.doesNotMatch(statsLine(stats(), "eog"), /left out/);
    assert.equal(leftOutNote(undefined), undefined);
});
