import assert from "node:assert/strict";
import { test } from "node:test";
import { initialSource, route } from "../../src/stitch/router.ts";

test("an unsure SLM token is discarded and the LLM takes the same position", () => {
    assert.deepEqual(route("slm", 0.31, 0.3), { keep: false, next: "llm" });
});

test("a sure SLM keeps writing; H equal to τ counts as sure", () => {
    assert.deepEqual(route("slm", 0.1, 0.3), { keep: true, next: "slm" });
    assert.deepEqual(route("slm", 0.3, 0.3), { keep: true, next: "slm" });
});

test("a sure LLM keeps its token and hands back to the SLM", () => {
    assert.deepEqual(route("llm", 0.3, 0.3), { keep: true, next: "slm" });
    assert.deepEqual(route("llm", 0.01, 0.3), { keep: true, next: "slm" });
});

test("an unsure LLM keeps its token and stays", () => {
    assert.deepEqual(route("llm", 0.5, 0.3), { keep: true, next: "llm" });
});

test("τ = 0 pins the LLM, even for a one-hot distribution (H = 0)", () => {
    assert.equal(initialSource(0), "llm");
    assert.deepEqual(route("llm", 0, 0), { keep: true, next: "llm" });
    assert.deepEqual(route("slm", 0, 0), { keep: false, next: "llm" });
});

test("τ = 1 pins the SLM, even for a uniform distribution (H = 1)", () => {
    assert.equal(initialSource(1), "slm");
    assert.deepEqual(route("slm", 1, 1), { keep: true, next: "slm" });
    assert.deepEqual(route("llm", 1, 1), { keep: true, next: "slm" });
});

test("the SLM starts at any τ inside (0, 1)", () => {
    for (const t of [1e-6, 0.02, 0.5, 0.999999]) assert.equal(initialSource(t), "slm");
});
