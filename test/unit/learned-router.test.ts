/** The adaptive router's pure parts: features, training, the budget controller and the routing decisions at their edges. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { BUDGET_PRIOR_TOKENS, budgetCut } from "../../src/stitch/budget.ts";
import { disagreement, routerVerdict, trainRouter, type RouterWeights } from "../../src/stitch/learned-router.ts";
import { FEATURE_COUNT, headOf, RouteTracker, routeFeatures } from "../../src/stitch/route-features.ts";
import { route } from "../../src/stitch/router.ts";
import { RoutingState } from "../../src/stitch/routing.ts";
import { seededRandom } from "../../src/stitch/sampler.ts";

test("the head of a distribution: top-1, its margin over the second, the five most likely tokens' mass (renormalised)", () => {
    const h = headOf(new Map([[1, 0.1], [2, 0.4], [3, 0.2], [4, 0.05], [5, 0.05], [6, 0.1], [7, 0.1]]));
    assert.equal(h.top1, 0.4);
    assert.ok(Math.abs(h.margin - 0.2) < 1e-12);
    assert.ok(Math.abs(h.top5 - 0.9) < 1e-12);
    const twice = headOf(new Map([[1, 1], [2, 1]]));
    assert.deepEqual(twice, { top1: 0.5, margin: 0, top5: 1 });
});

test("the tracker counts tokens since the LLM wrote, and sees step boundaries and digits", () => {
    const t = new RouteTracker(2);
    t.wrote("slm", 0.1, "4");
    assert.deepEqual(t.context(), { position: 1, sinceLlm: 1, afterNewline: false, afterDigit: true, recentEntropy: 0.1 });
    t.wrote("llm", 0.3, "\n");
    t.wrote("slm", 0.5, "");
    const c = t.context();
    assert.equal(c.sinceLlm, 1);
    assert.equal(c.afterNewline, true, "an empty piece (half a character) keeps the last text");
    assert.equal(c.recentEntropy, 0.4, "the mean of the last two");
    const x = routeFeatures(0.2, { top1: 0.7, margin: 0.5, top5: 0.99 }, c);
    assert.equal(x.length, FEATURE_COUNT);
    assert.deepEqual([x[0], x[2], x[3], x[4], x[7], x[8]], [0.2, 0.7, 0.5, 0.99, 1, 0]);
});

test("logistic regression learns a known rule from noisy labels, and its scores rank held-out points", () => {
    const random = seededRandom(7);
    const truth = (x: number[]) => 1 / (1 + Math.exp(-(6 * x[0] - 4 * x[2] + 1)));
    const draw = (n: number) => Array.from({ length: n }, () => Array.from({ length: FEATURE_COUNT }, () => random()));
    const xs = draw(3000);
    const ys = xs.map((x) => (random() < truth(x) ? 1 : 0));
    const w = trainRouter(xs, ys, { l2: 0.1 });
    // Weights are on standardised features: the signs and the ordering of the two real effects.
    assert.ok(w.weights[0] > 1 && w.weights[2] < -1, JSON.stringify(w.weights));
    for (const j of [1, 3, 4, 5, 6, 7, 8, 9]) assert.ok(Math.abs(w.weights[j]) < 0.3, `feature ${j} has no effect, got ${w.weights[j]}`);
    const held = draw(500);
    const err = held.reduce((a, x) => a + Math.abs(disagreement(w, x) - truth(x)), 0) / held.length;
    assert.ok(err < 0.05, `mean |p − truth| ${err}`);
});

test("training stays finite where the classes nearly separate (the damped Newton step)", () => {
    const xs = Array.from({ length: 400 }, (_, i) => Array.from({ length: FEATURE_COUNT }, (_, j) => (j === 0 ? i / 400 : 0.5)));
    const ys = xs.map((x) => (x[0] > 0.9 ? 1 : 0));
    const w = trainRouter(xs, ys);
    assert.ok([...w.weights, w.bias].every(Number.isFinite));
    assert.ok(disagreement(w, xs[399]) > 0.5 && disagreement(w, xs[0]) < 0.01);
});

test("a verdict switches exactly when the estimate is above the cut", () => {
    const w: RouterWeights = { mean: new Array(FEATURE_COUNT).fill(0), scale: new Array(FEATURE_COUNT).fill(1), weights: new Array(FEATURE_COUNT).fill(0), bias: 0 };
    const x = new Float64Array(FEATURE_COUNT);
    assert.equal(routerVerdict(w, x, 0.49).switch, true);
    assert.equal(routerVerdict(w, x, 0.5).switch, false, "p = 0.5 is not above a cut of 0.5");
});

test("the budget's cut: the base cut at the target share, lower below it, higher above it, pinned at the edges", () => {
    assert.equal(budgetCut(0.1, 0, 0, 0.05), 0.1, "no tokens yet: the prior holds the share at the target");
    assert.ok(Math.abs(budgetCut(0.1, 5, 100, 0.05) - 0.1) < 1e-12);
    assert.ok(budgetCut(0.1, 0, 100, 0.05) < 0.1, "below the target: hand over more readily");
    assert.ok(budgetCut(0.1, 20, 100, 0.05) > 0.1, "above it: less readily");
    assert.ok(budgetCut(0.1, 1, BUDGET_PRIOR_TOKENS, 0.05) > budgetCut(0.1, 0, BUDGET_PRIOR_TOKENS, 0.05), "monotone in the LLM's tokens");
    assert.equal(budgetCut(0.9, 50, 100, 0.02), 1, "capped at 1");
    assert.equal(budgetCut(0.1, 0, 10, 0), 1, "a target of 0 never hands over");
    assert.equal(budgetCut(0.1, 10, 10, 1), 0, "a target of 1 always does");
});

/** Random predictions, replayed through a routing: which model wrote each token, in order. */
function replay(state: RoutingState, steps: number, seed: number): string {
    const random = seededRandom(seed);
    let active: "slm" | "llm" = "slm";
    const out: string[] = [];
    for (let i = 0; i < steps; i++) {
        const h = random() * 0.2;
        const d = state.decide(active, h, new Map([[1, 0.6], [2, 0.4]]));
        if (!d.keep) {
            active = d.next;
            continue;
        }
        state.wrote(active, h, "1");
        out.push(active === "slm" ? "s" : "L");
        active = d.next;
    }
    return out.join("");
}

const zero: RouterWeights = { mean: new Array(FEATURE_COUNT).fill(0), scale: new Array(FEATURE_COUNT).fill(1), weights: new Array(FEATURE_COUNT).fill(0), bias: 0 };

test("threshold routing is the paper's rule, decision for decision", () => {
    const random = seededRandom(3);
    const state = new RoutingState(0.05, { routing: "threshold" });
    for (let i = 0; i < 2000; i++) {
        const active = random() < 0.5 ? "slm" : "llm";
        const h = random() * 0.1;
        const d = state.decide(active, h, new Map([[1, 1]]));
        assert.deepEqual({ keep: d.keep, next: d.next }, route(active, h, 0.05));
        assert.equal(d.reason !== undefined, d.next !== active || !d.keep, "a reason exactly where the model changes");
    }
});

test("the router at its edges: τ = 0 is LLM only and τ = 1 SLM only whatever it says; cut 0 is the entropy rule, cut 1 never hands over", () => {
    const router = (cut: number) => ({ routing: "router" as const, router: { weights: zero, cut } });
    assert.match(replay(new RoutingState(0, router(1)), 300, 1), /^L+$/);
    assert.match(replay(new RoutingState(1, router(0)), 300, 1), /^s+$/);
    assert.equal(replay(new RoutingState(0.1, router(0)), 300, 1), replay(new RoutingState(0.1, { routing: "threshold" }), 300, 1));
    const never = new RoutingState(0.1, router(1));
    assert.match(replay(never, 300, 1), /^s+$/);
    assert.ok(never.consulted > 50 && never.stayed === never.consulted, "asked at every point above τ, kept the SLM at each");
});
