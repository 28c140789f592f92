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

test("tail reading: a list cut by min-p counts the tail the cut can hide, and no more", () => {
    // A sharp pair of tokens, then R = 1.4e-4 spread evenly: every other token is below μ · p_1 (μ = 1e-9),
    // so min-p ends the list after two entries although top-p(q) was not reached; the tail is still
    // bounded by (V − 2) · μ · p_1 ≈ 1.5e-4, so the reading stays within 1e-4 of exact, far below τ = 0.001.
    const mu = 1e-9;
    const R = 1.4e-4;
    const p1 = (1 - R) / (1 + 1.1e-9);
    const dist = [p1, 1.1e-9 * p1, ...new Array<number>(V - 2).fill(R / (V - 2))];
    const exact = normalisedEntropy(dist, V);
    const head = topP(dist, Q).filter((p, _, all) => p >= mu * all[0]);
    assert.equal(head.length, 2);
    const tail = headTailEntropy(head, Q, V, mu);
    assert.ok(Math.abs(tail - exact) < 1e-4, `tail ${tail} vs exact ${exact}`);
    // A larger μ hides a larger tail of unknown mass: the reading widens with it instead of calling it 1e-4.
    assert.ok(headTailEntropy([0.999, 0.001 * 0.9e-5], Q, V, 1e-5) > headTailEntropy([0.999, 0.001 * 0.9e-5], Q, V, 1e-9));
});

test("the greedy token of a sorted list is its first entry, ties going to the lowest id", () => {
    assert.equal(listArgmax(new Map([[7, 0.6], [3, 0.4]])), 7);
    assert.equal(listArgmax(new Map([[9, 0.4], [2, 0.4], [5, 0.2]])), 2);
    assert.equal(listArgmax(new Map()), -1);
});
