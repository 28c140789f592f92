/**
 * Calibrating a pair: the teacher from the pair itself (calibrate-collect.ts), then the τ, the router
 * and the budget that meet the target (calibration-fit.ts), as the calibration file's contents.
 */
import { basename } from "node:path";
import { collectTeacher, TEACHER_TAU, type TeacherPrompt } from "./calibrate-collect.ts";
import { CALIBRATION_FORMAT, CALIBRATION_VERSION, type Calibration } from "./calibration.ts";
import { DEFAULT_SIM_COSTS, fitCalibration, targetText, type SimCosts, type SimResult, type Target } from "./calibration-fit.ts";
import type { ModelPair } from "./pair.ts";
import { FEATURE_NAMES } from "./route-features.ts";

export interface CalibrateOptions {
    prompts: readonly TeacherPrompt[];
    target: Target;
    /** Tokens per answer at most. */
    budget: number;
    /** Per-token costs on this machine (the benchmark's measureCosts), for choosing the cheapest setting. */
    costs?: SimCosts;
    /** Where the prompts came from, for the file. */
    source: string;
    onProgress?: (done: number) => void;
    signal?: AbortSignal;
}

export async function calibratePair(pair: ModelPair, o: CalibrateOptions): Promise<Calibration | undefined> {
    const answers = await collectTeacher(pair, o.prompts, o.budget, TEACHER_TAU, o.onProgress, o.signal);
    if (o.signal?.aborted || answers.length === 0) return undefined;
    const fit = fitCalibration(answers, o.target, o.costs ?? DEFAULT_SIM_COSTS, TEACHER_TAU);
    const measured = (r: SimResult) => ({
        agreement: r.agreeing / Math.max(1, r.answers),
        llmShare: r.llmTokens / Math.max(1, r.tokens),
        handOvers: r.handOvers / Math.max(1, r.answers),
        relativeCost: r.costMs / Math.max(1e-9, fit.llmOnly.costMs),
    });
    const d = pair.describe();
    const r = fit.router;
    return {
        format: CALIBRATION_FORMAT, version: CALIBRATION_VERSION,
        pair: { slm: basename(d.slm.path), llm: basename(d.llm.path) },
        created: new Date().toISOString(),
        prompts: answers.length,
        trainedOn: r.trainedOn,
        target: { kind: o.target.kind, value: o.target.kind === "agreement" ? o.target.value : o.target.points, text: targetText(o.target) },
        threshold: { tau: fit.threshold.tau, measured: measured(fit.threshold.sim) },
        router: { tau: r.tau, cut: r.cut, features: [...FEATURE_NAMES], mean: r.weights.mean, scale: r.weights.scale, weights: r.weights.weights, bias: r.weights.bias, measured: measured(r.sim) },
        budget: { llmShare: Math.round(measured(r.sim).llmShare * 1000) / 1000 },
        source: o.source,
    };
}
