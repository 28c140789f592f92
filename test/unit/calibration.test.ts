/** The calibration file's schema, where a pair's calibration lives, and choosing settings from a teacher (all pure). */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { TeacherAnswer, TeacherPosition } from "../../src/stitch/calibrate-collect.ts";
import { calibratedRouting, calibrationPathFor, parseCalibration } from "../../src/stitch/calibration.ts";
import { fitCalibration, meets, simulate } from "../../src/stitch/calibration-fit.ts";
import { seededRandom } from "../../src/stitch/sampler.ts";

const shipped = (name: string) => readFileSync(join("models", `${name}.calibration.json`), "utf8");

test("the shipped calibrations of the demo and paper pairs read back, for their own files", () => {
    for (const name of ["demo", "paper"]) {
        const read = parseCalibration(shipped(name));
        assert.ok(read.ok, read.ok ? "" : read.reason);
        assert.deepEqual(read.calibration.pair, { slm: `${name}-slm.gguf`, llm: `${name}-llm.gguf` });
        assert.ok(read.calibration.prompts >= 100);
    }
});

test("a bad calibration is refused in one line that names the field", () => {
    const good = JSON.parse(shipped("demo"));
    const cases: [unknown, RegExp][] = [
        ["not json", /not JSON/],
        [{ ...good, format: "rstitch-trace" }, /not an R-Stitch calibration/],
        [{ ...good, version: 2 }, /version 2 calibration.*update R-Stitch/],
        [{ ...good, threshold: { ...good.threshold, tau: 1.5 } }, /threshold\.tau is 1\.5, outside 0–1/],
        [{ ...good, router: { ...good.router, features: ["entropy"] } }, /router\.features are not this R-Stitch's/],
        [{ ...good, router: { ...good.router, weights: good.router.weights.slice(1) } }, /router\.weights has 9 entries/],
        [{ ...good, router: { ...good.router, scale: good.router.scale.map(() => 0) } }, /router\.scale has an entry ≤ 0/],
    ];
    for (const [value, why] of cases) {
        const read = parseCalibration(typeof value === "string" ? value : JSON.stringify(value));
        assert.equal(read.ok, false);
        if (!read.ok) {
            assert.match(read.reason, why);
            assert.equal(read.reason.split("\n").length, 1);
        }
    }
});

test("a pair's calibration sits beside its LLM: NAME.calibration.json for NAME-slm/NAME-llm, else SLM+LLM", () => {
    assert.equal(calibrationPathFor("/m/demo-slm.gguf", "/m/demo-llm.gguf"), join("/m", "demo.calibration.json"));
    assert.equal(calibrationPathFor("/a/Qwen3-0.6B-Q8_0.gguf", "/b/Qwen3-8B-Q4_K_M.gguf"), join("/b", "Qwen3-0.6B-Q8_0+Qwen3-8B-Q4_K_M.calibration.json"));
});

test("the routing a calibration gives: its τ for the entropy rule, its router's τ and cut for router and budget", () => {
    const read = parseCalibration(shipped("demo"));
    assert.ok(read.ok);
    const c = read.calibration;
    const t = calibratedRouting(c, "/x/demo.calibration.json", "threshold");
    assert.equal(t.threshold, c.threshold.tau);
    assert.equal(t.routing.router, undefined);
    const r = calibratedRouting(c, "/x/demo.calibration.json", "router");
    assert.equal(r.threshold, c.router.tau);
    assert.equal(r.routing.router?.cut, c.router.cut);
    assert.deepEqual(r.stats, { file: "demo.calibration.json", target: c.target.text, routing: "router", cut: c.router.cut });
    const b = calibratedRouting(c, "/x/demo.calibration.json", "budget", 0.03);
    assert.equal(b.routing.llmShare, 0.03);
    assert.equal(b.stats.llmShare, 0.03);
});

/** A synthetic teacher: the SLM disagrees with the LLM only where its entropy is high, and not always there. */
function teacher(seed: number, answers = 120, length = 40): TeacherAnswer[] {
    const random = seededRandom(seed);
    return Array.from({ length: answers }, () => ({
        correct: true,
        positions: Array.from({ length }, (): TeacherPosition => {
            const hot = random() < 0.15;
            const entropy = hot ? 0.02 + random() * 0.2 : random() * 0.004;
            // Disagreement depends on the margin, which the entropy alone does not tell.
            const margin = hot ? random() : 0.98;
            const disagree = hot && margin < 0.15 ? 1 : 0;
            return { slm: { entropy, top1: 1 - entropy * 2, margin, top5: 1 }, disagree, llmEntropy: hot ? random() * 0.004 : null, text: "1" };
        }),
    }));
}

test("replaying a policy: τ = 0 is the LLM's answer exactly; the entropy rule keeps the SLM where it is sure", () => {
    const t = teacher(1);
    const llm = simulate(t, { tau: 0 });
    assert.equal(llm.llmTokens, llm.tokens);
    assert.equal(llm.agreeing, llm.answers);
    const high = simulate(t, { tau: 0.5 });
    assert.equal(high.llmTokens, 0);
    assert.ok(high.agreeing < high.answers, "at τ above every entropy, the SLM's disagreements stay");
    const low = simulate(t, { tau: 0.015 });
    assert.equal(low.agreeing, low.answers, "every disagreement is above τ = 0.015, so the LLM takes each");
    assert.ok(low.llmTokens > 0 && low.llmTokens < low.tokens);
    assert.ok(low.costMs < llm.costMs);
});

test("the fit: the router learns which hand-overs are needed and meets the target cheaper than the entropy rule", () => {
    const fit = fitCalibration(teacher(2), { kind: "agreement", value: 0.99 });
    assert.ok(meets(fit.threshold.sim, { kind: "agreement", value: 0.99 }));
    assert.ok(meets(fit.router.sim, { kind: "agreement", value: 0.99 }));
    assert.ok(fit.router.sim.stayed > 0);
    assert.ok(fit.router.sim.handOvers < fit.threshold.sim.handOvers * 0.5, `${fit.router.sim.handOvers} vs ${fit.threshold.sim.handOvers}`);
    // Held out: a teacher from another seed.
    const held = simulate(teacher(3), { tau: fit.router.tau, router: { weights: fit.router.weights, cut: fit.router.cut } });
    assert.ok(held.agreeing >= 0.95 * held.answers, `${held.agreeing}/${held.answers}`);
});
