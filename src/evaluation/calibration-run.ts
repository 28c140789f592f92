/**
 * One calibration run, as `rstitch calibrate` and the editor's Calibrate Models do it: this machine's
 * per-token costs (for choosing the cheapest setting), the prompts scored by their answers where they
 * have them, then calibratePair. Undefined when stopped by `signal`: nothing to write.
 */
import { calibratePair } from "../stitch/calibrate.ts";
import type { TeacherPrompt } from "../stitch/calibrate-collect.ts";
import type { Calibration } from "../stitch/calibration.ts";
import type { Target } from "../stitch/calibration-fit.ts";
import type { ModelPair } from "../stitch/pair.ts";
import type { PromptLine } from "./calibration-prompts.ts";
import { measureCosts } from "./costs.ts";
import { scoreAnswer } from "./score.ts";

export interface CalibrationRun {
    lines: readonly PromptLine[];
    target: Target;
    budget: number;
    /** Where the prompts came from, for the file. */
    source: string;
    /** Prompts answered so far. */
    onProgress?: (done: number) => void;
    signal?: AbortSignal;
}

/** Unless told otherwise: within 1 point of LLM-only accuracy when every prompt has an answer (`labelled`), else LLM agreement ≥ 99%. */
export function defaultTarget(labelled: boolean): Target {
    return labelled ? { kind: "accuracy", points: 1 } : { kind: "agreement", value: 0.99 };
}

export async function calibrateOnPrompts(pair: ModelPair, run: CalibrationRun): Promise<Calibration | undefined> {
    const cost = await measureCosts(pair, run.lines.slice(0, 8).map((l) => l.prompt).join("\n"));
    if (run.signal?.aborted) return undefined;
    const costs = { slmPass: cost.slm.decodeMs, llmPass: cost.llm.decodeMs, llmPrefill: cost.llm.prefillMsPerToken, switchMs: cost.slm.prefillMsPerToken };
    const prompts: TeacherPrompt[] = run.lines.map((l) => ({ prompt: l.prompt, ...(l.answer !== undefined ? { correct: (text: string) => scoreAnswer(text, l.answer!).correct } : {}) }));
    return calibratePair(pair, { prompts, target: run.target, budget: run.budget, costs, source: run.source, onProgress: run.onProgress, signal: run.signal });
}
