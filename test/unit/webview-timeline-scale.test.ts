import * as assert from "node:assert/strict";
import { test } from "node:test";
import { bar, entropyHeight, entropyY, MAX_STEP, MIN_BAR, MIN_STEP, PLOT_HEIGHT, stepFor, tickLabel, tokenAt } from "../../webview/timeline-scale.ts";

test("entropy is drawn on a √ scale: τ = 0.01 at a tenth of the height, H = 0.25 at half, clamped to 0–1", () => {
    assert.equal(entropyHeight(0.01), 0.1);
    assert.equal(entropyHeight(0.25), 0.5);
    assert.equal(entropyHeight(1), 1);
    assert.equal(entropyHeight(4), 1);
    assert.equal(entropyHeight(-1), 0);
    assert.equal(entropyHeight(Number.NaN), 0);
    assert.equal(entropyY(0), PLOT_HEIGHT);
    assert.equal(entropyY(1), 0);
    // A bar's height grows with H, so a higher entropy is never drawn lower.
    for (let h = 0; h < 1; h += 0.01) assert.ok(bar(h + 0.01).height >= bar(h).height);
});

test("a token with H = 0 still has a visible bar", () => {
    assert.deepEqual(bar(0), { y: PLOT_HEIGHT - MIN_BAR, height: MIN_BAR });
    assert.equal(bar(1).height, PLOT_HEIGHT);
});

test("steps fill the width for short answers and stay readable (scrolling) for long ones", () => {
    assert.equal(stepFor(10, 300), MAX_STEP);
    assert.equal(stepFor(100, 300), 3);
    assert.equal(stepFor(600, 300), MIN_STEP);
    assert.equal(stepFor(0, 300), MAX_STEP);
    assert.equal(stepFor(50, 0), MAX_STEP, "not laid out yet");
});

test("the pointer's x maps to the token under it, none off the tokens", () => {
    assert.equal(tokenAt(0, 4, 10), 0);
    assert.equal(tokenAt(3.9, 4, 10), 0);
    assert.equal(tokenAt(4, 4, 10), 1);
    assert.equal(tokenAt(39.9, 4, 10), 9);
    assert.equal(tokenAt(40, 4, 10), undefined);
    assert.equal(tokenAt(-1, 4, 10), undefined);
});

test("axis labels are short", () => {
    assert.deepEqual([0, 0.05, 0.25, 1].map(tickLabel), ["0", ".05", ".25", "1"]);
});
