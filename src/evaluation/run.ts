/** Runs problems through one decoding configuration and aggregates what eval and bench report. */
import type { CalibrationStats } from "../stitch/events.ts";
import type { ModelPair, SolveOptions, StitchStats } from "../stitch/index.ts";
import type { Problem } from "./problems.ts";
import { scoreAnswer } from "./score.ts";

export interface ProblemResult {
    correct: boolean;
    /** The final answer read from the text (scoreAnswer), null when none. */
    extracted: string | null;
    text: string;
    stats: StitchStats;
}

export interface Summary {
    accuracy: number;
    problems: number;
    meanTokens: number;
    llmShare: number;
    /** Mean switches per problem. */
    switches: number;
    msPerProblem: number;
    /** With a calibration: the calibration's stats, with the router's consultations summed over the problems. */
    calibration?: CalibrationStats;
}

/** Solves one problem; throws on a decoder error. */
export async function solveOne(pair: ModelPair, problem: Problem, options: Omit<SolveOptions, "prompt">): Promise<ProblemResult> {
    let result: ProblemResult | undefined;
    for await (const e of pair.solve({ ...options, prompt: problem.prompt })) {
        if (e.type === "error") throw new Error(e.message);
        if (e.type === "done") {
            const { correct, extracted } = scoreAnswer(e.text, problem.answer);
            result = { correct, extracted, text: e.text, stats: e.stats };
        }
    }
    if (!result) throw new Error("the decoder ended without a result");
    return result;
}

export async function runProblems(
    pair: ModelPair,
    problems: readonly Problem[],
    options: Omit<SolveOptions, "prompt">,
    onProblem?: (done: number) => void,
): Promise<ProblemResult[]> {
    const results: ProblemResult[] = [];
    for (const problem of problems) {
        if (options.signal?.aborted) break;
        results.push(await solveOne(pair, problem, options));
        onProblem?.(results.length);
    }
    return results;
}

export function summarise(results: readonly ProblemResult[]): Summary {
    const n = results.length || 1;
    const sum = (f: (r: ProblemResult) => number) => results.reduce((a, r) => a + f(r), 0);
    const tokens = sum((r) => r.stats.totalTokens);
    return {
        accuracy: sum((r) => (r.correct ? 1 : 0)) / n,
        problems: results.length,
        meanTokens: tokens / n,
        // Token-weighted: the share of all generated tokens that the LLM wrote.
        llmShare: tokens ? sum((r) => r.stats.llm.tokens) / tokens : 0,
        switches: sum((r) => r.stats.switches) / n,
        msPerProblem: sum((r) => r.stats.wallMs) / n,
        ...calibrationSum(results),
    };
}

function calibrationSum(results: readonly ProblemResult[]): { calibration?: CalibrationStats } {
    const first = results.find((r) => r.stats.calibration)?.stats.calibration;
    if (!first) return {};
    const total = (k: "consulted" | "stayed") => results.reduce((a, r) => a + (r.stats.calibration?.[k] ?? 0), 0);
    return { calibration: { ...first, consulted: total("consulted"), stayed: total("stayed") } };
}
