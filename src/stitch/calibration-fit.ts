/**
 * From a teacher (calibrate-collect.ts) to a calibration: replays routing policies over the teacher's
 * answers without running a model (which positions the SLM would keep, where it would hand over, and
 * whether a kept SLM token differs from the LLM's), trains the router on the hand-over points, and
 * picks the cheapest setting that meets the target. Replays are exact up to an answer's first changed
 * token for every τ at or above the teacher's τ₀, which is where the search runs. Pure.
 */
import { TEACHER_TAU, type TeacherAnswer } from "./calibrate-collect.ts";
import { routerVerdict, trainRouter, type RouterWeights } from "./learned-router.ts";
import { FEATURE_COUNT, RouteTracker, routeFeatures } from "./route-features.ts";

export interface SimPolicy {
    /** Entropy rule: the SLM hands over above τ; the LLM hands back at or below `back` (default τ). */
    tau: number;
    back?: number;
    /** The LLM writes at least this many tokens once it takes over (default 1). */
    minSpan?: number;
    /** Consulted where the entropy rule would hand over: stay unless P(disagree) > cut. */
    router?: { weights: RouterWeights; cut: number };
}

/** Per-token costs, ms: a pass of each model and a token read in a batch (catch-up). */
export interface SimCosts {
    slmPass: number;
    llmPass: number;
    llmPrefill: number;
    /** Fixed cost of a hand-over beyond the passes (a call's overhead, the SLM's catch-up). */
    switchMs: number;
}

export const DEFAULT_SIM_COSTS: SimCosts = { slmPass: 0.41, llmPass: 1.38, llmPrefill: 0.25, switchMs: 0.5 };

export interface SimResult {
    answers: number;
    /** Answers the policy would write exactly as the teacher (no kept SLM token the LLM would not write). */
    agreeing: number;
    /** Of the answers the teacher got right (labelled prompts), those the policy would change. */
    changedCorrect: number;
    labelled: number;
    tokens: number;
    llmTokens: number;
    handOvers: number;
    /** Router: hand-over points consulted and those where it kept the SLM. */
    consulted: number;
    stayed: number;
    /** Modelled time, ms, over all answers. */
    costMs: number;
}

/** Replays `policy` over the teacher's answers; `visit` sees each hand-over point (its features, and the label). */
export function simulate(answers: readonly TeacherAnswer[], policy: SimPolicy, costs: SimCosts = DEFAULT_SIM_COSTS, visit?: (x: Float64Array, disagree: number) => void): SimResult {
    const r: SimResult = { answers: answers.length, agreeing: 0, changedCorrect: 0, labelled: 0, tokens: 0, llmTokens: 0, handOvers: 0, consulted: 0, stayed: 0, costMs: 0 };
    const back = policy.back ?? policy.tau;
    const minSpan = policy.minSpan ?? 1;
    const x = new Float64Array(FEATURE_COUNT);
    for (const a of answers) {
        const tracker = new RouteTracker();
        let active: "slm" | "llm" = "slm";
        let span = 0;
        let sinceLlmRead = 0;
        let errors = 0;
        for (const p of a.positions) {
            if (active === "slm") {
                // Inside the teacher's LLM span the SLM was not asked: replayed as a hand-over (the cautious guess).
                const s = p.slm;
                let handOver = policy.tau <= 0 || s === null || s.entropy > policy.tau;
                if (handOver && s !== null && policy.tau > 0) {
                    routeFeatures(s.entropy, s, tracker.context(), x);
                    visit?.(x, p.disagree);
                    if (policy.router) {
                        r.consulted++;
                        handOver = routerVerdict(policy.router.weights, x, policy.router.cut).switch;
                        if (!handOver) r.stayed++;
                    }
                }
                r.costMs += costs.slmPass;
                if (handOver) {
                    r.handOvers++;
                    r.costMs += costs.switchMs + sinceLlmRead * costs.llmPrefill;
                    active = "llm";
                    span = 0;
                } else {
                    errors += p.disagree;
                    sinceLlmRead++;
                    tracker.wrote("slm", s!.entropy, p.text);
                    continue;
                }
            }
            // The LLM writes this position (where the teacher's SLM wrote it, the LLM would have agreed and been sure).
            const h = p.llmEntropy ?? 0;
            r.costMs += costs.llmPass;
            r.llmTokens++;
            span++;
            sinceLlmRead = 0;
            tracker.wrote("llm", h, p.text);
            if (policy.tau > 0 && h <= back && span >= minSpan) active = "slm";
        }
        r.tokens += a.positions.length;
        if (errors === 0) r.agreeing++;
        if (a.correct !== undefined) {
            r.labelled++;
            if (a.correct && errors > 0) r.changedCorrect++;
        }
    }
    return r;
}

/** What a calibration promises: answers the LLM would write unchanged, or a bound on lost accuracy. */
export type Target = { kind: "agreement"; value: number } | { kind: "accuracy"; points: number };

export function targetText(t: Target): string {
    return t.kind === "agreement"
        ? `LLM agreement ≥ ${(t.value * 100).toFixed(1)}% of answers`
        : `within ${t.points} point${t.points === 1 ? "" : "s"} of the LLM on the labelled problems`;
}

export function meets(r: SimResult, t: Target): boolean {
    if (t.kind === "agreement") return r.agreeing >= t.value * r.answers - 1e-9;
    return r.labelled > 0 && r.changedCorrect <= (t.points / 100) * r.labelled + 1e-9;
}

/** The τ grid a calibration searches (the entropy rule alone, and the router's consult point), from the teacher's τ₀ up. */
export const TAU_GRID = [0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.07, 0.1, 0.15, 0.2];
const CUT_GRID = [0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

export interface Fit {
    /** The entropy rule alone: the cheapest τ meeting the target (the smallest τ of the grid when none does). */
    threshold: { tau: number; sim: SimResult };
    router: { tau: number; cut: number; weights: RouterWeights; sim: SimResult; trainedOn: number };
    /** LLM-only on the same answers, for reference (its cost is the unit of relativeCost). */
    llmOnly: SimResult;
}

export function fitCalibration(answers: readonly TeacherAnswer[], target: Target, costs: SimCosts = DEFAULT_SIM_COSTS, teacherTau = TEACHER_TAU): Fit {
    const grid = [teacherTau, ...TAU_GRID.filter((t) => t > teacherTau)];
    const cheapest = <T extends { sim: SimResult }>(xs: T[]): T | undefined =>
        xs.filter((c) => meets(c.sim, target)).reduce<T | undefined>((b, c) => (!b || c.sim.costMs < b.sim.costMs ? c : b), undefined);
    const thresholds = grid.map((tau) => ({ tau, sim: simulate(answers, { tau }, costs) }));
    const threshold = cheapest(thresholds) ?? thresholds[0];

    // Train on every point where the smallest τ would hand over (features as the loop would see them).
    const xs: Float64Array[] = [];
    const ys: number[] = [];
    simulate(answers, { tau: teacherTau }, costs, (x, y) => {
        xs.push(Float64Array.from(x));
        ys.push(y);
    });
    const weights = trainRouter(xs, ys, { l2: 1 });
    const candidates = grid.flatMap((tau) => CUT_GRID.map((cut) => ({ tau, cut, weights, sim: simulate(answers, { tau, router: { weights, cut } }, costs), trainedOn: xs.length })));
    // Never worse than the entropy rule: the router at the rule's τ and the smallest cut nearly always hands over.
    const router = cheapest(candidates) ?? { tau: threshold.tau, cut: CUT_GRID[0], weights, sim: simulate(answers, { tau: threshold.tau, router: { weights, cut: CUT_GRID[0] } }, costs), trainedOn: xs.length };
    return { threshold, router, llmOnly: simulate(answers, { tau: 0 }, costs) };
}
