/**
 * The benchmark: every configuration on the same problems in one run, interleaved problem by problem
 * so that machine noise falls on all of them alike; speedups are ratios against `llm` in this run.
 */
import type { Mode, ModelCost, ModelPair, StitchStats } from "../stitch/index.ts";
import type { Problem } from "./problems.ts";
import { runProblems, summarise, type ProblemResult, type Summary } from "./run.ts";

export interface BenchConfig {
    id: string;
    label: string;
    mode: Mode;
    threshold?: number;
    draftTokens?: number;
}

export interface ConfigResult extends Summary {
    config: BenchConfig;
    /** `llm` ms per problem / this configuration's. */
    speedup: number;
    /** Time the cost model predicts from the work done (stitch, slm, llm), ms per problem. */
    idealMsPerProblem: number | null;
    /** actual / ideal − 1. */
    overhead: number | null;
    meanCalls: { slm: number; llm: number };
    meanPrefill: { slm: number; llm: number };
}

export interface BenchResult {
    problems: number;
    costs: { slm: ModelCost; llm: ModelCost };
    configs: ConfigResult[];
    /** The fastest stitch configuration within 2 accuracy points of `llm`. */
    recommended: ConfigResult | null;
}

export function benchConfigs(thresholds: readonly number[], drafts: readonly number[]): BenchConfig[] {
    return [
        { id: "llm", label: "LLM only", mode: "llm" },
        { id: "slm", label: "SLM only", mode: "slm" },
        ...drafts.map((d): BenchConfig => ({ id: `speculative-${d}`, label: `speculative d=${d}`, mode: "speculative", draftTokens: d })),
        ...thresholds.map((t): BenchConfig => ({ id: `stitch-${t}`, label: `stitch τ=${t}`, mode: "stitch", threshold: t })),
    ];
}

/** Ideal time of one decode from the work it did: forward passes × decode cost + prefill tokens × prefill cost. */
export function idealMs(stats: StitchStats, costs: { slm: ModelCost; llm: ModelCost }): number {
    return (["slm", "llm"] as const).reduce(
        (ms, m) => ms + stats[m].calls * costs[m].decodeMs + stats[m].prefillTokens * costs[m].prefillMsPerToken,
        0,
    );
}

export async function runBench(
    pair: ModelPair,
    problems: readonly Problem[],
    configs: readonly BenchConfig[],
    options: { budget?: number; costSample: string; signal?: AbortSignal; onStep?: (done: number, label: string) => void },
): Promise<BenchResult> {
    // Costs are measured at the start, every COST_EVERY problems and at the end, then averaged, so
    // that they see the same machine load as the runs they are compared with.
    const measured = [await pair.measureCosts(options.costSample)];
    const results = new Map<string, ProblemResult[]>(configs.map((c) => [c.id, []]));
    let step = 0;
    for (const [p, problem] of problems.entries()) {
        if (p > 0 && p % COST_EVERY === 0) measured.push(await pair.measureCosts(options.costSample));
        for (const c of configs) {
            if (options.signal?.aborted) break;
            options.onStep?.(step, c.label);
            const [r] = await runProblems(pair, [problem], {
                mode: c.mode, threshold: c.threshold, draftTokens: c.draftTokens, budget: options.budget, signal: options.signal,
            });
            if (r) results.get(c.id)!.push(r);
            step++;
        }
    }
    options.onStep?.(step, "");
    measured.push(await pair.measureCosts(options.costSample));
    const costs = averageCosts(measured);

    const mean = (rs: ProblemResult[], f: (s: StitchStats) => number) => rs.reduce((a, r) => a + f(r.stats), 0) / Math.max(1, rs.length);
    const llmMs = summarise(results.get("llm") ?? []).msPerProblem;
    const out: ConfigResult[] = configs.map((config) => {
        const rs = results.get(config.id)!;
        const summary = summarise(rs);
        const ideal = config.mode === "speculative" ? null : mean(rs, (s) => idealMs(s, costs));
        return {
            ...summary,
            config,
            speedup: summary.msPerProblem > 0 ? llmMs / summary.msPerProblem : 0,
            idealMsPerProblem: ideal,
            overhead: ideal ? summary.msPerProblem / ideal - 1 : null,
            meanCalls: { slm: mean(rs, (s) => s.slm.calls), llm: mean(rs, (s) => s.llm.calls) },
            meanPrefill: { slm: mean(rs, (s) => s.slm.prefillTokens), llm: mean(rs, (s) => s.llm.prefillTokens) },
        };
    });
    return { problems: problems.length, costs, configs: out, recommended: recommend(out) };
}

const COST_EVERY = 20;

function averageCosts(xs: readonly { slm: ModelCost; llm: ModelCost }[]): { slm: ModelCost; llm: ModelCost } {
    const avg = (m: "slm" | "llm"): ModelCost => ({
        decodeMs: xs.reduce((a, x) => a + x[m].decodeMs, 0) / xs.length,
        prefillMsPerToken: xs.reduce((a, x) => a + x[m].prefillMsPerToken, 0) / xs.length,
    });
    return { slm: avg("slm"), llm: avg("llm") };
}

export function recommend(configs: readonly ConfigResult[]): ConfigResult | null {
    const llm = configs.find((c) => c.config.mode === "llm");
    if (!llm) return null;
    const good = configs.filter((c) => c.config.mode === "stitch" && c.accuracy >= llm.accuracy - 0.02);
    return good.reduce<ConfigResult | null>((best, c) => (!best || c.speedup > best.speedup ? c : best), null);
}
