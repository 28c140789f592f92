/**
 * Routing at step boundaries (a bench lever, GlimpRouter), decision by decision on scripted
 * predictions: only a step's first token is routed, by the SLM's entropy against τ_s, and whoever
 * writes it writes the whole step. The loop below drives RoutingState as stitcher.ts does.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { endsStep } from "../../src/stitch/route-features.ts";
import { RoutingState } from "../../src/stitch/routing.ts";
import { seededRandom } from "../../src/stitch/sampler.ts";

interface Script {
    /** The SLM's entropy at output position i (the LLM's is always `llmEntropy`). */
    slm(i: number): number;
    /** The text of the token written at position i (the same whichever model writes it). */
    text(i: number): string;
    length: number;
}

interface Replayed {
    /** Who wrote each position: s or L. */
    sources: string;
    switches: { index: number; to: string; reason?: string }[];
    /** The SLM's predictions that were discarded, by position. */
    discarded: number[];
}

function replay(state: RoutingState, script: Script, llmEntropy = 0): Replayed {
    let active: "slm" | "llm" = "slm";
    let sources = "";
    const switches: Replayed["switches"] = [];
    const discarded: number[] = [];
    while (sources.length < script.length) {
        const i = sources.length;
        const h = active === "slm" ? script.slm(i) : llmEntropy;
        const d = state.decide(active, h, new Map([[1, 1]]));
        if (!d.keep) {
            if (active === "slm") discarded.push(i);
            switches.push({ index: i, to: d.next, reason: d.reason });
            active = d.next;
            continue;
        }
        state.wrote(active, h, script.text(i));
        sources += active === "slm" ? "s" : "L";
        const after = state.stepEnd(active) ?? d;
        if (after.next !== active) {
            switches.push({ index: i + 1, to: after.next, reason: after.reason });
            active = after.next;
        }
    }
    return { sources, switches, discarded };
}

const steps = (o: { stepThreshold: number }) => ({ routing: "threshold" as const, ...o });

test("a step start's SLM entropy decides who writes the whole step; nobody switches inside a step", () => {
    // Three lines, then an unfinished fourth: "ab\n" "cde.\n" "f\n" "gh". ".\n" ends a line; "x\ny" does not (its text does not end with one).
    const texts = ["a", "b", "\n", "c", "x\ny", "e", ".\n", "f", "\n", "g", "h"];
    // Step starts are 0, 3, 7, 9: low, high, low, high. Inside steps the SLM is unsure (0.9) and the LLM sure (0):
    // the paper's rule would switch at each of those, step routing at none.
    const start: Record<number, number> = { 0: 0.01, 3: 0.5, 7: 0.02, 9: 0.3 };
    const script: Script = { slm: (i) => start[i] ?? 0.9, text: (i) => texts[i], length: texts.length };
    const r = replay(new RoutingState(0.02, steps({ stepThreshold: 0.05 })), script);
    assert.equal(r.sources, "sssLLLLssLL");
    assert.deepEqual(r.discarded, [3, 9], "only the unsure step starts' SLM tokens are discarded");
    assert.deepEqual(r.switches, [
        { index: 3, to: "llm", reason: "step start: H 0.500 > τ_s 0.05" },
        { index: 7, to: "slm", reason: "step end: the LLM wrote a line's last token" },
        { index: 9, to: "llm", reason: "step start: H 0.300 > τ_s 0.05" },
    ]);
    // The same predictions under the paper's rule at τ 0.05 switch inside the steps.
    assert.notEqual(replay(new RoutingState(0.05, { routing: "threshold" }), script).sources, r.sources);
});

test("τ_s is compared strictly: H = τ_s keeps the SLM, and the answer's first position is a step start", () => {
    const script: Script = { slm: (i) => (i === 0 ? 0.05 : 0.9), text: () => "1", length: 5 };
    assert.equal(replay(new RoutingState(0.02, steps({ stepThreshold: 0.05 })), script).sources, "sssss");
    const unsure: Script = { ...script, slm: (i) => (i === 0 ? 0.051 : 0) };
    assert.equal(replay(new RoutingState(0.02, steps({ stepThreshold: 0.05 })), unsure).sources, "LLLLL", "no newline: the LLM keeps the answer's one step to its end");
});

test("the pinned edges are untouched by the lever: τ = 0 is LLM only, τ = 1 SLM only", () => {
    const random = seededRandom(11);
    const texts = Array.from({ length: 200 }, () => (random() < 0.2 ? "\n" : "7"));
    const hs = Array.from({ length: 200 }, () => random());
    const script: Script = { slm: (i) => hs[i], text: (i) => texts[i], length: 200 };
    // At τ = 0 the loop starts on the LLM (router.ts initialSource); replay starts on the SLM, whose first token the rule discards.
    const at0 = replay(new RoutingState(0, steps({ stepThreshold: 0.5 })), script, 0);
    assert.match(at0.sources, /^L+$/);
    assert.match(replay(new RoutingState(1, steps({ stepThreshold: 0 })), script).sources, /^s+$/);
});

test("on random scripts: every LLM span starts at a step start and ends with a line's last token or the end", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
        const random = seededRandom(seed);
        const n = 400;
        const texts = Array.from({ length: n }, () => (random() < 0.12 ? (random() < 0.5 ? "\n" : ":\n") : random() < 0.05 ? "\n " : "9"));
        const hs = Array.from({ length: n }, () => random() * 0.2);
        const tauS = 0.1;
        const r = replay(new RoutingState(0.02, steps({ stepThreshold: tauS })), { slm: (i) => hs[i], text: (i) => texts[i], length: n }, 0.5);
        const isStart = (i: number) => i === 0 || endsStep(texts[i - 1]);
        let llmSteps = 0;
        let slmSteps = 0;
        for (let i = 0; i < n; i++) {
            if (isStart(i)) {
                // The SLM predicted here; it kept its token exactly when its entropy was at most τ_s.
                assert.equal(r.sources[i], hs[i] > tauS ? "L" : "s", `seed ${seed} step start ${i}`);
                assert.equal(r.discarded.includes(i), hs[i] > tauS);
                if (r.sources[i] === "L") llmSteps++;
                else slmSteps++;
            } else {
                assert.equal(r.sources[i], r.sources[i - 1], `seed ${seed}: no switch inside a step (${i})`);
                assert.ok(!r.discarded.includes(i));
            }
        }
        assert.ok(llmSteps > 5 && slmSteps > 5, `both kinds of step occur (${llmSteps} LLM, ${slmSteps} SLM)`);
        for (const m of r.sources.matchAll(/L+/g)) {
            const end = m.index + m[0].length - 1;
            assert.ok(isStart(m.index), `span at ${m.index} starts a step`);
            assert.ok(endsStep(texts[end]) || end === n - 1, `span ending at ${end} ends a step`);
        }
    }
});
