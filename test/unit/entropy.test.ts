import assert from "node:assert/strict";
import { test } from "node:test";
import { chooseEntropyMethod, EXACT_ENTROPY_MAX_VOCAB, headTailEntropy, normalisedEntropy } from "../../src/stitch/entropy.ts";
import { listArgmax } from "../../src/stitch/reading.ts";

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

test("auto picks exact entropy for small vocabularies and the tail reading for large ones", () => {
    assert.equal(chooseEntropyMethod(260), "exact");
    assert.equal(chooseEntropyMethod(EXACT_ENTROPY_MAX_VOCAB), "exact");
    assert.equal(chooseEntropyMethod(151_936), "tail");
    assert.equal(chooseEntropyMethod(151_936, "topk"), "topk");
    assert.equal(chooseEntropyMethod(151_936, "exact"), "exact");
    assert.equal(chooseEntropyMethod(260, "topk"), "topk");
});

// What node-llama-cpp's top-p(q) returns for a sorted distribution: the shortest head reaching q, renormalised.
function topP(sorted: number[], q: number): number[] {
    const head: number[] = [];
    let sum = 0;
    for (const p of sorted) {
        head.push(p);
        sum += p;
        if (sum >= q) break;
    }
    return head.map((p) => p / sum);
}

function sortedDistribution(weights: number[]): number[] {
    const z = weights.reduce((a, b) => a + b, 0);
    return weights.map((w) => w / z).sort((a, b) => b - a);
}

const V = 151_936;
const Q = 0.9999;

test("tail reading: a sharp head over a flat tail that top-40 renormalisation would drop", () => {
    // p_1 = 0.99, then 0.01 spread evenly over every other token (the case the old top-40 read as ~0).
    const rest = 0.01 / (V - 1);
    const dist = [0.99, ...new Array<number>(V - 1).fill(rest)];
    const exact = normalisedEntropy(dist, V);
    const top40 = normalisedEntropy(dist.slice(0, 40), V);
    const tail = headTailEntropy(topP(dist, Q), Q, V);
    assert.ok(top40 < exact / 5, `top-40 ${top40} vs exact ${exact}`);
    assert.ok(Math.abs(tail - exact) < 3e-4, `tail ${tail} vs exact ${exact}`);
});

test("tail reading: Zipf distributions of several steepnesses within 3e-4 of exact", () => {
    for (const s of [1.1, 1.5, 2, 3, 6]) {
        const dist = sortedDistribution(Array.from({ length: V }, (_, i) => Math.pow(i + 1, -s)));
        const exact = normalisedEntropy(dist, V);
        const tail = headTailEntropy(topP(dist, Q), Q, V);
        assert.ok(Math.abs(tail - exact) < 3e-4, `s = ${s}: tail ${tail} vs exact ${exact}`);
    }
});

test("tail reading: a one-entry list is at most 1e-4 of mass from certain, so H stays under τ = 0.001", () => {
    const h = headTailEntropy([1], Q, V);
    assert.ok(h > 0 && h < 0.001, String(h));
    assert.equal(headTailEntropy([1], Q, 1), 0);
});

test("tail reading: a list cut by min-p extrapolates the tail instead of calling it 1e-4", () => {
    // A Zipf(1) distribution: min-p(1e-3) keeps 1,000 entries, far short of top-p(q).
    const dist = sortedDistribution(Array.from({ length: V }, (_, i) => Math.pow(i + 1, -1)));
    const exact = normalisedEntropy(dist, V);
    const mu = 1e-3;
    const head = topP(dist, Q).filter((p, _, all) => p >= mu * all[0]);
    const tail = headTailEntropy(head, Q, V, mu);
    const naive = headTailEntropy(head, Q, V);
    assert.ok(Math.abs(tail - exact) < 0.02, `tail ${tail} vs exact ${exact} (naive ${naive})`);
    assert.ok(naive < exact - 0.1, "without the min-p cut known the tail would be read as tiny");
});

test("the greedy token of a sorted list is its first entry, ties going to the lowest id", () => {
    assert.equal(listArgmax(new Map([[7, 0.6], [3, 0.4]])), 7);
    assert.equal(listArgmax(new Map([[9, 0.4], [2, 0.4], [5, 0.2]])), 2);
    assert.equal(listArgmax(new Map()), -1);
});
