import assert from "node:assert/strict";
import { test } from "node:test";
import type { StitchStats, Turn } from "../../src/protocol.ts";
import { announcement } from "../../webview/announce.ts";

const turn: Turn = { id: "t", kind: "solve", prompt: "What is\n47 * 36?", mode: "stitch", threshold: 0.01, models: "s + l", tokens: [], state: "running" };
const stats = { totalTokens: 12 } as StitchStats;

test("the live region announces a turn's start, its answer and errors, in one short line each", () => {
    assert.equal(announcement({ type: "turnStart", turn }, turn), "R-Stitch is answering: What is 47 * 36?");
    assert.equal(announcement({ type: "turnStart", turn }, { ...turn, label: "Explain selection · a.ts" }), "R-Stitch is answering: Explain selection · a.ts");
    assert.equal(announcement({ type: "turnDone", turnId: "t", answer: "1692", stopReason: "eog", stats }, turn), "Answer: 1692");
    assert.equal(announcement({ type: "turnDone", turnId: "t", answer: null, stopReason: "budget", stats }, turn), "Finished, 12 tokens, with no final answer line.");
    assert.equal(announcement({ type: "turnDone", turnId: "t", answer: null, stopReason: "abort", stats }, turn), "Stopped.");
    assert.equal(announcement({ type: "turnError", turnId: "t", message: "The model file is damaged." }, turn), "Error: The model file is damaged.");
    const long = announcement({ type: "turnError", turnId: "t", message: "x".repeat(5000) }, turn);
    assert.ok(long.length < 220 && long.endsWith("…"), `${long.length} characters`);
});

test("tokens, status and anything without a turn are never announced", () => {
    assert.equal(announcement({ type: "tokens", turnId: "t", tokens: [["a", "slm", 0]] }, turn), "");
    assert.equal(announcement({ type: "status", status: { state: "running", models: "s + l" } }, turn), "");
    assert.equal(announcement({ type: "turnError", turnId: "gone", message: "x" }, undefined), "");
});
