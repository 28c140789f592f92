/**
 * The benchmark: every configuration on the same problems in one run, interleaved problem by problem
 * with the order rotated per problem, so that machine noise and cache warmth fall on all of them
 * alike. Speedups are ratios against `llm` (node-llama-cpp, LLM only) in this run.
 *
 * Overhead is measured, not modelled: wall time minus the time spent inside model calls (the lanes'
 * own clocks for this project's modes, llama.cpp's reported timings for its peers).
 */
import { MODE_TABLE, MODES, modeSpec, ROUTING_TABLE, usesTau, type Mode, type Routing } from "../modes.ts";
import type { SolveOptions } from "../stitch/engines.ts";
import { DEFAULT_DRAFT_TOKENS, DEFAULT_MODE, DEFAULT_THRESHOLD, splitAnswer, type ModelPair } from "../stitch/index.ts";
import type { DraftCounters, RemoteCounters } from "../stitch/events.ts";
import { measureCosts, type ModelCost } from "./costs.ts";
import { LlamaServer, type LlamaTools } from "./llama-server.ts";
import type { Problem } from "./problems.ts";
import { solveOne } from "./run.ts";
import { scoreAnswer } from "./score.ts";

/** "remote": this project's decoder with the SLM here and the LLM in llama-server (--llm-url). */
export type Backend = "node-llama-cpp" | "llama.cpp" | "remote";

export interface BenchConfig {
    id: string;
    label: string;
    mode: Mode;
    /** Which engine decodes: this project's decoder (node-llama-cpp) or llama.cpp's own server. */
    backend: Backend;
    threshold?: number;
    draftTokens?: number;
    /** stitch: the routing (absent: the entropy rule) and, for budget, the LLM share held. */
    routing?: Routing;
    llmShare?: number;
}

/** The calibrated rows: the router and the budget at each share. */
export interface RoutingRows {
    /** The router and budget rows run with the calibration (absent: none of them). */
    calibrated: boolean;
    llmShares?: readonly number[];
}

/** One problem under one configuration: what was measured. */
export interface Run {
    correct: boolean;
    text: string;
    tokens: number;
    llmTokens: number;
    switches: number;
    wallMs: number;
    /** Time inside model calls; null where the engine does not separate it. */
    modelMs: number | null;
    calls: { slm: number; llm: number };
    prefill: { slm: number; llm: number };
    /** Of the prompt, the tokens each model evaluated (the rest it still held from the previous problem's shared prefix), to tell prompt prefill from catch-up at switches. */
    promptPrefill: { slm: number; llm: number };
    draft?: DraftCounters;
    /** Remote LLM: requests sent (one per LLM turn) and their summed wait for the first token. */
    remote?: Pick<RemoteCounters, "requests" | "firstTokenMs">;
}

export interface ConfigResult {
    config: BenchConfig;
    /** This is what `solve` uses by default (src/stitch/defaults.ts). */
    isDefault: boolean;
    problems: number;
    accuracy: number;
    meanTokens: number;
    llmShare: number;
    switches: number;
    msPerProblem: number;
    /** `llm` ms per problem / this configuration's. */
    speedup: number;
    /** Time inside model calls, ms per problem (null: not separable). */
    modelMsPerProblem: number | null;
    /** (wall − model time) / wall. */
    overhead: number | null;
    meanCalls: { slm: number; llm: number };
    meanPrefill: { slm: number; llm: number };
    /** Switching configurations: tokens re-read by the other model per switch, and its estimated time. */
    perSwitch: { catchUpTokens: number; ms: number } | null;
    /** Per problem, in file order: the final answer (null: none) and the tokens generated. */
    answers: (string | null)[];
    tokens: number[];
    /** Speculative configurations: drafted and accepted tokens, acceptance rate, LLM passes per problem. */
    acceptance: { proposed: number; accepted: number; rate: number; llmPassesPerProblem: number | null } | null;
    /** Remote-LLM configurations: requests per problem and the mean round trip to the first token, per request (= per switch to the LLM). */
    remote: { requestsPerProblem: number; roundTripMs: number } | null;
}

export interface BenchResult {
    problems: number;
    costs: { slm: ModelCost; llm: ModelCost };
    configs: ConfigResult[];
    /** The fastest configuration of this project's decoder within 1 accuracy point of `llm`. */
    recommended: ConfigResult | null;
    /** Why llama.cpp's peers are absent, when they are. */
    peersMissing?: string;
}

export const TOLERANCE = 0.01;

export function benchConfigs(thresholds: readonly number[], drafts: readonly number[], options: { llamaCpp?: boolean; remote?: boolean; modes?: readonly Mode[]; routing?: RoutingRows } = {}): BenchConfig[] {
    // Every mode of the table (or those asked for), at each τ it routes by and each draft length it drafts with.
    const modes = MODES.filter((m) => !options.modes || options.modes.includes(m) || m === "llm");
    const configs: BenchConfig[] = modes.flatMap((mode) => variants(mode, "node-llama-cpp", thresholds, drafts));
    configs.push(...routingConfigs(options.routing));
    if (options.llamaCpp) {
        const l = "llama.cpp" as const;
        configs.push(
            { id: "llama.cpp-llm", label: "llama.cpp LLM only", mode: "llm", backend: l },
            { id: "llama.cpp-slm", label: "llama.cpp SLM only", mode: "slm", backend: l },
            ...drafts.map((d): BenchConfig => ({ id: `llama.cpp-speculative-${d}`, label: `llama.cpp speculative d=${d}`, mode: "speculative", backend: l, draftTokens: d })),
        );
    }
    if (options.remote) {
        // The same decoder with the LLM on a server, beside the local rows, on the same problems: every
        // mode that runs with a remote LLM, except SLM-only (it never asks the LLM).
        const remoteModes = MODES.filter((m) => !MODE_TABLE[m].needsLocalLlm && MODE_TABLE[m].tau !== 1);
        configs.push(...remoteModes.flatMap((mode) => variants(mode, "remote", thresholds.filter((t) => t < 1), drafts)));
    }
    // The default configuration is always measured.
    const def = defaultConfig();
    if (!configs.some((c) => sameSetting(c, def))) configs.push(def);
    return configs;
}

/** The stitch mode under the calibrated routings (the calibration supplies τ and the router). */
function routingConfigs(rows: RoutingRows | undefined): BenchConfig[] {
    if (!rows) return [];
    const out: BenchConfig[] = [];
    const base = { mode: "stitch" as const, backend: "node-llama-cpp" as const };
    if (rows.calibrated) {
        out.push({ ...base, id: "stitch-router", label: `stitch ${ROUTING_TABLE.router.label} (calibrated)`, routing: "router" });
        for (const share of rows.llmShares ?? [undefined]) {
            out.push({ ...base, id: `stitch-budget${share === undefined ? "" : `-${share}`}`, label: `stitch ${ROUTING_TABLE.budget.label}${share === undefined ? " (calibrated share)" : ` LLM share ${share}`}`, routing: "budget", ...(share === undefined ? {} : { llmShare: share }) });
        }
    }
    return out;
}

function variants(mode: Mode, backend: Backend, thresholds: readonly number[], drafts: readonly number[]): BenchConfig[] {
    const taus = usesTau(mode) ? thresholds : [undefined];
    const lengths = modeSpec(mode).drafts ? drafts : [undefined];
    return taus.flatMap((t) => lengths.map((d) => ownConfig(mode, backend, t, d)));
}

/** One configuration of this project's decoder, named by its mode and whichever of τ and draft length it uses. */
function ownConfig(mode: Mode, backend: Backend, threshold?: number, draftTokens?: number): BenchConfig {
    const params = [threshold === undefined ? "" : `τ=${threshold}`, draftTokens === undefined ? "" : `d=${draftTokens}`].filter(Boolean);
    const suffix = [threshold, draftTokens].filter((x) => x !== undefined).join("-");
    const remote = backend === "remote";
    return {
        id: `${remote ? "remote-" : ""}${mode}${suffix ? `-${suffix}` : ""}`,
        label: (params.length ? `${mode} ${params.join(" ")}` : MODE_TABLE[mode].label) + (remote ? " (remote LLM)" : ""),
        mode, backend,
        ...(threshold === undefined ? {} : { threshold }),
        ...(draftTokens === undefined ? {} : { draftTokens }),
    };
}

export function defaultConfig(): BenchConfig {
    const def = ownConfig(DEFAULT_MODE, "node-llama-cpp", usesTau(DEFAULT_MODE) ? DEFAULT_THRESHOLD : undefined, modeSpec(DEFAULT_MODE).drafts ? DEFAULT_DRAFT_TOKENS : undefined);
    return def;
}

function sameSetting(c: BenchConfig, d: BenchConfig): boolean {
    const plain = (x: BenchConfig) => !x.routing;
    return plain(c) && plain(d) && c.backend === d.backend && c.mode === d.mode && (!usesTau(c.mode) || c.threshold === d.threshold)
        && (!modeSpec(c.mode).drafts || (c.draftTokens ?? DEFAULT_DRAFT_TOKENS) === (d.draftTokens ?? DEFAULT_DRAFT_TOKENS));
}

/** Configuration order for problem p: rotated by one each problem. */
export function rotation<T>(items: readonly T[], p: number): T[] {
    const k = items.length ? p % items.length : 0;
    return [...items.slice(k), ...items.slice(0, k)];
}

export interface BenchOptions {
    budget?: number;
    costSample: string;
    threads: number;
    contextSize: number;
    /** The pair's flash-attention choice, given to llama.cpp's peers too so both sides run the same kernels. */
    flashAttention?: boolean;
    llama?: { tools: LlamaTools; slm: string; llm: string };
    /** The calibration the router and budget rows route with. */
    calibration?: SolveOptions["calibration"];
    /** The pair whose LLM is remote, for the "remote" configurations. */
    remotePair?: ModelPair;
    signal?: AbortSignal;
    onStep?: (done: number, label: string) => void;
}

export async function runBench(pair: ModelPair, problems: readonly Problem[], configs: readonly BenchConfig[], options: BenchOptions): Promise<BenchResult> {
    const budget = options.budget ?? 512;
    const servers = new Map<string, LlamaServer>();
    try {
        for (const c of configs.filter((c) => c.backend === "llama.cpp")) {
            if (!options.llama) throw new Error(`${c.label} needs llama.cpp's tools`);
            const { tools, slm, llm } = options.llama;
            servers.set(c.id, await LlamaServer.start(tools, {
                model: modeSpec(c.mode).tau === 1 ? slm : llm, threads: options.threads, contextSize: options.contextSize, flashAttention: options.flashAttention,
                draft: modeSpec(c.mode).drafts ? { model: slm, tokens: c.draftTokens ?? DEFAULT_DRAFT_TOKENS } : undefined,
            }));
        }
        // Costs are measured at the start, every COST_EVERY problems and at the end, then averaged.
        const measured = [await measureCosts(pair, options.costSample)];
        const runs = new Map<string, Run[]>(configs.map((c) => [c.id, []]));
        let step = 0;
        for (const [p, problem] of problems.entries()) {
            if (p > 0 && p % COST_EVERY === 0) measured.push(await measureCosts(pair, options.costSample));
            const promptTokens = pair.llmPromptTokens(problem.prompt);
            for (const c of rotation(configs, p)) {
                if (options.signal?.aborted) break;
                options.onStep?.(step++, c.label);
                const server = servers.get(c.id);
                runs.get(c.id)!.push(server
                    ? await peerRun(server, promptTokens, problem, budget)
                    : await ownRun(c.backend === "remote" ? remoteOf(options, c) : pair, c, problem, budget, options.signal, options.calibration));
            }
        }
        options.onStep?.(step, "");
        measured.push(await measureCosts(pair, options.costSample));
        const costs = averageCosts(measured);
        const llmMs = mean(runs.get("llm") ?? [], (r) => r.wallMs);
        const def = defaultConfig();
        const out = configs.map((c) => summariseConfig(c, runs.get(c.id)!, costs, llmMs, sameSetting(c, def)));
        return { problems: problems.length, costs, configs: out, recommended: recommend(out) };
    } finally {
        for (const s of servers.values()) s.stop();
    }
}

function remoteOf(options: BenchOptions, c: BenchConfig): ModelPair {
    if (!options.remotePair) throw new Error(`${c.label} needs a remote LLM (--llm-url)`);
    return options.remotePair;
}

async function ownRun(pair: ModelPair, c: BenchConfig, problem: Problem, budget: number, signal?: AbortSignal, calibration?: SolveOptions["calibration"]): Promise<Run> {
    const routed = c.routing ? { routing: c.routing, calibration, llmShare: c.llmShare } : {};
    const r = await solveOne(pair, problem, { mode: c.mode, threshold: c.threshold, draftTokens: c.draftTokens, budget, signal, ...routed });
    const s = r.stats;
    return {
        correct: r.correct, text: r.text, tokens: s.totalTokens, llmTokens: s.llm.tokens, switches: s.switches, wallMs: s.wallMs,
        modelMs: s.slm.wallMs + s.llm.wallMs,
        calls: { slm: s.slm.calls, llm: s.llm.calls }, prefill: { slm: s.slm.prefillTokens, llm: s.llm.prefillTokens },
        promptPrefill: { slm: s.prompt?.prefill.slm ?? 0, llm: s.prompt?.prefill.llm ?? 0 }, draft: s.draft,
        remote: s.remote ? { requests: s.remote.requests, firstTokenMs: s.remote.firstTokenMs } : undefined,
    };
}

async function peerRun(server: LlamaServer, promptTokens: number[], problem: Problem, budget: number): Promise<Run> {
    const r = await server.complete(promptTokens, budget);
    const llmPasses = r.draft ? r.tokens - r.draft.accepted : undefined;
    return {
        correct: scoreAnswer(r.content, problem.answer).correct, text: r.content, tokens: r.tokens, llmTokens: r.tokens, switches: 0,
        wallMs: r.wallMs, modelMs: r.modelMs, calls: { slm: 0, llm: 0 }, prefill: { slm: 0, llm: 0 }, promptPrefill: { slm: 0, llm: 0 },
        draft: r.draft ? { ...r.draft, llmPasses } : undefined,
    };
}

const mean = <T>(xs: readonly T[], f: (x: T) => number) => xs.reduce((a, x) => a + f(x), 0) / Math.max(1, xs.length);

function summariseConfig(config: BenchConfig, runs: readonly Run[], costs: { slm: ModelCost; llm: ModelCost }, llmMs: number, isDefault: boolean): ConfigResult {
    const tokens = runs.reduce((a, r) => a + r.tokens, 0);
    const msPerProblem = mean(runs, (r) => r.wallMs);
    const timed = runs.every((r) => r.modelMs !== null);
    const modelMs = timed ? mean(runs, (r) => r.modelMs!) : null;
    const llmTokens = modeSpec(config.mode).tau === 1 ? 0 : runs.reduce((a, r) => a + r.llmTokens, 0);
    const switches = runs.reduce((a, r) => a + r.switches, 0);
    let perSwitch: ConfigResult["perSwitch"] = null;
    if (switches > 0 && modelMs !== null) {
        // Catch-up: tokens fed to a model beyond its prompt that it did not itself just predict.
        const catchUp = runs.reduce((a, r) => a + (r.prefill.slm - r.promptPrefill.slm) + (r.prefill.llm - r.promptPrefill.llm), 0);
        // Time beyond what the prompts' prefill and the written tokens (as plain one-token decodes) would cost, per switch.
        const promptMs = (r: Run) => r.promptPrefill.slm * costs.slm.prefillMsPerToken + r.promptPrefill.llm * costs.llm.prefillMsPerToken;
        const extra = runs.reduce((a, r) => a + r.modelMs! - promptMs(r) - (r.tokens - r.llmTokens) * costs.slm.decodeMs - r.llmTokens * costs.llm.decodeMs, 0);
        perSwitch = { catchUpTokens: catchUp / switches, ms: extra / switches };
    }
    const drafted = runs.filter((r) => r.draft);
    const proposed = drafted.reduce((a, r) => a + r.draft!.proposed, 0);
    const accepted = drafted.reduce((a, r) => a + r.draft!.accepted, 0);
    const passes = drafted.every((r) => r.draft!.llmPasses !== undefined) ? mean(drafted, (r) => r.draft!.llmPasses!) : null;
    return {
        config, isDefault,
        problems: runs.length,
        accuracy: mean(runs, (r) => (r.correct ? 1 : 0)),
        meanTokens: mean(runs, (r) => r.tokens),
        llmShare: tokens ? llmTokens / tokens : 0,
        switches: switches / Math.max(1, runs.length),
        msPerProblem,
        speedup: msPerProblem > 0 ? llmMs / msPerProblem : 0,
        modelMsPerProblem: modelMs,
        overhead: modelMs !== null && msPerProblem > 0 ? (msPerProblem - modelMs) / msPerProblem : null,
        meanCalls: { slm: mean(runs, (r) => r.calls.slm), llm: mean(runs, (r) => r.calls.llm) },
        meanPrefill: { slm: mean(runs, (r) => r.prefill.slm), llm: mean(runs, (r) => r.prefill.llm) },
        perSwitch,
        answers: runs.map((r) => splitAnswer(r.text).answer),
        tokens: runs.map((r) => r.tokens),
        acceptance: drafted.length ? { proposed, accepted, rate: proposed ? accepted / proposed : 0, llmPassesPerProblem: passes } : null,
        remote: remoteFigures(runs),
    };
}

function remoteFigures(runs: readonly Run[]): ConfigResult["remote"] {
    const remote = runs.filter((r) => r.remote);
    if (remote.length === 0) return null;
    const requests = remote.reduce((a, r) => a + r.remote!.requests, 0);
    const wait = remote.reduce((a, r) => a + r.remote!.firstTokenMs, 0);
    return { requestsPerProblem: requests / remote.length, roundTripMs: requests ? wait / requests : 0 };
}

const COST_EVERY = 20;

function averageCosts(xs: readonly { slm: ModelCost; llm: ModelCost }[]): { slm: ModelCost; llm: ModelCost } {
    const avg = (m: "slm" | "llm"): ModelCost => ({
        decodeMs: xs.reduce((a, x) => a + x[m].decodeMs, 0) / xs.length,
        prefillMsPerToken: xs.reduce((a, x) => a + x[m].prefillMsPerToken, 0) / xs.length,
    });
    return { slm: avg("slm"), llm: avg("llm") };
}

/** The fastest configuration `solve` could use (this project's decoder) within 1 point of LLM-only. */
export function recommend(configs: readonly ConfigResult[]): ConfigResult | null {
    const llm = configs.find((c) => c.config.id === "llm");
    if (!llm) return null;
    const good = configs.filter((c) => c.config.backend === "node-llama-cpp" && modeSpec(c.config.mode).tau !== 1 && c.problems > 0
        && c.accuracy >= llm.accuracy - TOLERANCE - 1e-9);
    return good.reduce<ConfigResult | null>((best, c) => (!best || c.speedup > best.speedup ? c : best), null);
}
