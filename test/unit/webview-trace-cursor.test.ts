import assert from "node:assert/strict";
import { test } from "node:test";
import type { TokenTuple } from "../../src/protocol.ts";
import { cursorStatus, moveCursor, spanHandover, tokenHover } from "../../webview/trace-cursor.ts";

test("the cursor moves token by token and stops at both ends", () => {
    assert.equal(moveCursor(undefined, 5, "ArrowRight"), 0, "Right with no cursor starts at the first token");
    assert.equal(moveCursor(undefined, 5, "ArrowLeft"), 4, "Left with no cursor starts at the last token");
    assert.equal(moveCursor(2, 5, "ArrowRight"), 3);
    assert.equal(moveCursor(2, 5, "ArrowLeft"), 1);
    assert.equal(moveCursor(4, 5, "ArrowRight"), 4, "no wrap at the end");
    assert.equal(moveCursor(0, 5, "ArrowLeft"), 0, "no wrap at the start");
    assert.equal(moveCursor(2, 5, "Home"), 0);
    assert.equal(moveCursor(2, 5, "End"), 4);
    // A cursor left past the end (tokens dropped) comes back inside.
    assert.equal(moveCursor(9, 5, "ArrowLeft"), 4);
    assert.equal(moveCursor(2, 5, "ArrowUp"), undefined, "other keys are the page's");
    assert.equal(moveCursor(undefined, 0, "ArrowRight"), undefined, "nothing to move over");
});

// The SLM writes, is unsure at H = 0.21 (the LLM takes over), the LLM is sure again at H = 0.004.
const tokens: TokenTuple[] = [
    ["What", "slm", 0.001],
    [" is", "slm", 0.002],
    [" 47", "llm", 0.3, 0.21],
    [" *", "llm", 0.412],
    [" 36", "llm", 0.004],
    ["?", "slm", 0.0, 0.004],
];

test("each token's span is explained by the switch that began it", () => {
    assert.equal(spanHandover(tokens, 0), undefined, "the first span began with no switch");
    assert.equal(spanHandover(tokens, 1), undefined);
    assert.deepEqual(spanHandover(tokens, 2), { from: "slm", entropy: 0.21 });
    assert.deepEqual(spanHandover(tokens, 3), { from: "slm", entropy: 0.21 }, "later tokens of the LLM span share it");
    assert.deepEqual(spanHandover(tokens, 4), { from: "slm", entropy: 0.21 });
    assert.deepEqual(spanHandover(tokens, 5), { from: "llm", entropy: 0.004 });
    assert.equal(spanHandover(tokens, 9), undefined);
});

test("status line and hover say the model, the entropy and why the span is that model's", () => {
    assert.equal(cursorStatus(tokens, 3, 0.01), "token 4 of 6 · LLM · H = 0.412 · handed over at H = 0.210 > τ = 0.010");
    assert.equal(cursorStatus(tokens, 5, 0.01), "token 6 of 6 · SLM · H = 0.000 · handed back at H = 0.004 ≤ τ = 0.010");
    assert.equal(cursorStatus(tokens, 0, 0.01), "token 1 of 6 · SLM · H = 0.001");
    assert.equal(cursorStatus(tokens, 6), "");
    assert.equal(tokenHover("llm", 0.412, spanHandover(tokens, 3), 0.01), "LLM · H = 0.412 · the SLM handed over at H = 0.210 > τ = 0.010");
    assert.equal(tokenHover("slm", 0.001, undefined), "SLM · H = 0.001");
    // A trace stored before hand-overs were recorded (3-element tokens) reads as before.
    const old: TokenTuple[] = [["a", "slm", 0.1], ["b", "llm", 0.5]];
    assert.equal(cursorStatus(old, 1, 0.01), "token 2 of 2 · LLM · H = 0.500");
});

test("one Tab stop per turn: Up/Down move between its controls; Left/Right too, except on the trace", async () => {
    const { nextStop } = await import("../../webview/roving-stops.ts");
    assert.equal(nextStop(0, 4, "ArrowDown", false), 1);
    assert.equal(nextStop(1, 4, "ArrowUp", true), 0, "Up leaves the trace");
    assert.equal(nextStop(1, 4, "ArrowRight", true), undefined, "on the trace Right moves the token cursor");
    assert.equal(nextStop(1, 4, "Home", true), undefined, "on the trace Home goes to the first token");
    assert.equal(nextStop(2, 4, "ArrowRight", false), 3);
    assert.equal(nextStop(2, 4, "ArrowLeft", false), 1);
    assert.equal(nextStop(3, 4, "ArrowDown", false), 3, "no wrap");
    assert.equal(nextStop(2, 4, "Home", false), 0);
    assert.equal(nextStop(0, 4, "End", false), 3);
    assert.equal(nextStop(0, 4, "Enter", false), undefined);
});
