import assert from "node:assert/strict";
import { test } from "node:test";
import { chooseEntropyMethod, EXACT_ENTROPY_MAX_VOCAB, normalisedEntropy } from "../../src/stitch/entropy.ts";

test("one-hot has H = 0 and uniform has H = 1", () => {
    assert.equal(normalisedEntropy([1, 0, 0, 0], 4), 0);
    assert.ok(Math.abs(normalisedEntropy([0.25, 0.25, 0.25, 0.25], 4) - 1) < 1e-12);
});

test("entropy is normalised by log V of the whole vocabulary", () => {
    const h = normalisedEntropy([0.5, 0.5], 260);
    assert.ok(Math.abs(h - Math.log(2) / Math.log(260)) < 1e-12);
});

test("a list that does not sum to one is renormalised", () => {
    assert.ok(Math.abs(normalisedEntropy([0.5, 0.5], 4) - normalisedEntropy([0.25, 0.25], 4)) < 1e-12);
});

test("auto picks exact entropy for small vocabularies and the top-k estimate for large ones", () => {
    assert.equal(chooseEntropyMethod(260), "exact");
    assert.equal(chooseEntropyMethod(EXACT_ENTROPY_MAX_VOCAB), "exact");
    assert.equal(chooseEntropyMethod(151_936), "topk");
    assert.equal(chooseEntropyMethod(151_936, "exact"), "exact");
    assert.equal(chooseEntropyMethod(260, "topk"), "topk");
});
