/** `rstitch bench`: R-Stitch against LLM-only, SLM-only and speculative decoding, with a table, JSON and a chart. */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { benchConfigs, runBench, TOLERANCE, type BenchResult } from "../evaluation/bench.ts";
import { findLlamaTools } from "../evaluation/llama-server.ts";
import { defaultThreads } from "../stitch/index.ts";
import { benchChart } from "../evaluation/chart.ts";
import { ProblemFileError, readProblems, splitPath } from "../evaluation/problems.ts";
import { ProgressBar } from "../evaluation/progress.ts";
import { counted } from "./count.ts";
import { formatTable } from "./eval.ts";
import { openPair, packageRoot, pairFiles } from "./models.ts";
import { calibrationBeside, readCalibration } from "./calibration-option.ts";
import { list, MODEL_OPTIONS, MODES, number, parse } from "./options.ts";
import { VARIANT_OPTIONS, withLlmVariant } from "./llm-variant.ts";
import type { Io } from "./solve.ts";
import { HELP, UsageError } from "./usage.ts";

export const DEFAULT_SWEEP = [0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 1];
export const DEFAULT_DRAFTS = [2, 4, 8];

function numbers(name: string, raw: string | undefined, min: number, max: number, integer: boolean): number[] | undefined {
    if (raw === undefined) return undefined;
    const xs = raw.split(",").map((s) => number(name, s.trim(), min, max, integer)!);
    if (xs.length === 0) throw new UsageError(`--${name} needs at least one value.`);
    return xs;
}

export function benchTable(r: BenchResult): string {
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const rows = r.configs.map((c) => [
        c.config.label + (c.isDefault ? " (default)" : "") + (r.recommended?.config.id === c.config.id ? " *" : ""),
        pct(c.accuracy), c.meanTokens.toFixed(1), pct(c.llmShare), c.switches.toFixed(1),
        c.msPerProblem.toFixed(1), `${c.speedup.toFixed(2)}×`,
        c.overhead === null ? "—" : `${(c.overhead * 100).toFixed(1)}%`,
        c.perSwitch ? `${c.perSwitch.catchUpTokens.toFixed(1)} tok, ${c.perSwitch.ms.toFixed(2)} ms` : "—",
        c.acceptance ? `${pct(c.acceptance.rate)} of ${(c.acceptance.proposed / Math.max(1, c.problems)).toFixed(0)}` : "—",
        c.remote ? `${c.remote.requestsPerProblem.toFixed(1)} req, ${c.remote.roundTripMs.toFixed(1)} ms` : "—",
    ]);
    return formatTable(["configuration", "accuracy", "tokens", "LLM share", "switches", "ms/problem", "speedup", "overhead", "per switch", "drafts accepted", "LLM server round trip"], rows);
}

export async function benchCommand(args: string[], io: Io): Promise<number> {
    const { values } = parse(args, {
        ...MODEL_OPTIONS,
        problems: { type: "string" }, split: { type: "string" }, file: { type: "string" },
        thresholds: { type: "string" }, drafts: { type: "string" }, budget: { type: "string" },
        out: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" },
        pair: { type: "string" }, peers: { type: "string" }, modes: { type: "string" }, ...VARIANT_OPTIONS,
        calibration: { type: "string" }, "llm-shares": { type: "string" },
    }, false);
    if (values.help) {
        io.stdout.write(HELP + "\n");
        return 0;
    }
    const thresholds = numbers("thresholds", values.thresholds, 0, 1, false) ?? DEFAULT_SWEEP;
    const drafts = numbers("drafts", values.drafts, 1, 64, true) ?? DEFAULT_DRAFTS;
    const budget = number("budget", values.budget, 1, 100_000, true);
    const count = number("problems", values.problems, 1, 1_000_000, true) ?? 100;
    let problems;
    try {
        problems = readProblems(values.file ?? splitPath(packageRoot(), values.split ?? "test")).slice(0, count);
    } catch (e) {
        if (e instanceof ProblemFileError) throw new UsageError(e.message);
        throw e;
    }
    const outDir = resolve(values.out ?? "results");

    if (values.pair !== undefined && (values.slm !== undefined || values.llm !== undefined)) throw new UsageError("Give --pair or --slm/--llm, not both.");
    if (values.peers !== undefined && values.peers !== "auto" && values.peers !== "none") throw new UsageError(`--peers must be auto or none, got "${values.peers}".`);
    const named = pairFiles(values.pair);
    // The router and budget rows: the calibration given, or the pair's own beside its models ("none": leave them out).
    const calFile = values.calibration === "none" ? undefined : values.calibration ?? calibrationBeside({ ...values, ...named });
    const calibration = calFile === undefined ? undefined : readCalibration(calFile);
    const routing = {
        calibrated: calibration !== undefined,
        llmShares: numbers("llm-shares", values["llm-shares"], 0, 1, false),
    };
    // --llm-cost-ratio / --llm-layers: the LLM file becomes its slower zero-layer variant, for every row.
    const variant = await withLlmVariant({ ...values, ...named }, problems[0].prompt, (line) => io.stderr.write(`bench: ${line}\n`));
    const modelValues = variant?.values ?? { ...values, ...named };
    // --llm-url adds rows with the LLM on that server beside the local ones (the local LLM is --llm, or the demo's).
    const remoteUrl = values["llm-url"];
    const local = { ...modelValues, "llm-url": undefined, "api-key-env": undefined, "llm-timeout": undefined, "llm-api": undefined };
    const pair = await openPair(local);
    let remotePair;
    try {
        remotePair = remoteUrl === undefined ? undefined : await openPair({ ...modelValues, llm: undefined });
    } catch (e) {
        await pair.dispose();
        throw e;
    }
    const tools = values.peers === "none" ? "llama.cpp peers not requested (--peers none)" : findLlamaTools();
    const paths = pair.describe();
    const threads = number("threads", values.threads, 0, 256, true) || defaultThreads(availableParallelism());
    const modes = list("modes", values.modes, MODES);
    const configs = benchConfigs(thresholds, drafts, { llamaCpp: typeof tools !== "string", remote: remotePair !== undefined, modes, routing });
    const bar = new ProgressBar(io.stderr, problems.length * configs.length);
    let result: BenchResult;
    try {
        if (!io.stderr.isTTY) io.stderr.write(`bench: ${counted(problems.length, "problem")} × ${counted(configs.length, "configuration")}\n`);
        result = await runBench(pair, problems, configs, {
            budget, costSample: problems[0].prompt, signal: io.signal, threads, contextSize: pair.contextSize, flashAttention: pair.flashAttention,
            llama: typeof tools === "string" ? undefined : { tools, slm: paths.slm.path, llm: paths.llm.path },
            remotePair, calibration,
            onStep: (done, label) => { bar.setLabel(label); bar.update(done); },
        });
    } finally {
        bar.end();
        await pair.dispose();
        await remotePair?.dispose();
    }
    const models = pair.describe();
    const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? "", node: process.version, platform: `${process.platform}-${process.arch}` };
    if (typeof tools === "string") result.peersMissing = tools;
    const report = {
        date: new Date().toISOString(), machine, threads, flashAttention: pair.flashAttention ?? "auto", pair: values.pair ?? (values.slm ? "custom" : "demo"),
        models: { slm: models.slm.name, llm: models.llm.name }, llmVariant: variant?.variant ?? null, remoteLlm: remotePair?.remoteLlm ?? null, llamaCpp: typeof tools === "string" ? null : tools.tag,
        calibration: calFile === undefined ? null : calFile, ...result,
    };
    mkdirSync(outDir, { recursive: true });
    const jsonPath = join(outDir, "bench.json");
    const svgPath = join(outDir, "bench.svg");
    writeFileSync(jsonPath, JSON.stringify(report, null, 2) + "\n");
    const c = result.costs;
    const extra = variant ? ` (+${variant.variant.layers - variant.variant.sourceLayers} zero layers)` : "";
    const subtitle = `${models.slm.name} + ${models.llm.name}${extra} · ${counted(result.problems, "problem")} · ${counted(machine.cpus, "CPU")} · decode ms/token SLM ${c.slm.decodeMs.toFixed(2)}, LLM ${c.llm.decodeMs.toFixed(2)} · ${report.date.slice(0, 10)}`;
    writeFileSync(svgPath, benchChart(result, subtitle));

    if (values.json) {
        io.stdout.write(JSON.stringify(report) + "\n");
    } else {
        io.stdout.write(benchTable(result) + "\n\n");
        io.stdout.write(`cost model: decode ms/token SLM ${c.slm.decodeMs.toFixed(3)}, LLM ${c.llm.decodeMs.toFixed(3)} (ratio ${(c.llm.decodeMs / c.slm.decodeMs).toFixed(2)}); ` +
            `prefill ms/token SLM ${c.slm.prefillMsPerToken.toFixed(3)}, LLM ${c.llm.prefillMsPerToken.toFixed(3)}\n`);
        if (variant) io.stdout.write(`LLM: ${variant.variant.layers} layers, its own ${variant.variant.sourceLayers} + ${variant.variant.layers - variant.variant.sourceLayers} zero-output (${variant.variant.path})\n`);
        io.stdout.write(result.recommended
            ? `fastest within ${TOLERANCE * 100} accuracy point of LLM-only: ${result.recommended.config.label} (${result.recommended.speedup.toFixed(2)}×) — marked *\n`
            : `no configuration came within ${TOLERANCE * 100} accuracy point of LLM-only\n`);
        if (result.peersMissing) io.stdout.write(`llama.cpp peers skipped: ${result.peersMissing}\n`);
        io.stdout.write(`wrote ${jsonPath} and ${svgPath}\n`);
    }
    return io.signal.aborted ? 130 : 0;
}
