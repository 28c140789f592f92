/**
 * `rstitch calibrate`: runs the pair on prompts (the user's --file, or the built-in ones of the demo
 * and paper pairs, from the tuning split, never the test split: calibration-prompts.ts), learns where its SLM's token is the LLM's own, and writes
 * the calibration (the τ for the target, the router, the budget) beside the models or to --out.
 */
import { existsSync, statSync, writeFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { BUILT_IN_PROMPTS, builtInPrompts, PromptFileError, readPromptFile, type PromptLine } from "../evaluation/calibration-prompts.ts";
import { calibrateOnPrompts, defaultTarget } from "../evaluation/calibration-run.ts";
import { ProgressBar } from "../evaluation/progress.ts";
import { calibrationPathFor } from "../stitch/calibration.ts";
import { targetText, type Target } from "../stitch/calibration-fit.ts";
import { DEFAULT_BUDGET, demoModelPaths } from "../stitch/index.ts";
import { openPair, packageRoot, pairFiles } from "./models.ts";
import { MODEL_OPTIONS, number, parse } from "./options.ts";
import type { Io } from "./solve.ts";
import { HELP, UsageError } from "./usage.ts";

/** --file: the shared reader, its refusals as usage errors (one line, exit 2). */
function promptsFrom(path: string): PromptLine[] {
    if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`--file ${path}: no such file.`);
    try {
        return readPromptFile(path);
    } catch (e) {
        if (e instanceof PromptFileError) throw new UsageError(e.message);
        throw e;
    }
}

/** --target agreement:0.99 | accuracy:1 (points); default: accuracy within 1 point when every prompt has an answer, else agreement ≥ 99%. */
export function parseTarget(raw: string | undefined, labelled: boolean): Target {
    if (raw === undefined) return defaultTarget(labelled);
    const m = /^(agreement|accuracy):([\d.]+)$/.exec(raw.trim());
    const value = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(value)) throw new UsageError(`--target must be agreement:SHARE (e.g. agreement:0.99) or accuracy:POINTS (e.g. accuracy:1), got "${raw}".`);
    if (m[1] === "agreement") {
        if (value <= 0 || value > 1) throw new UsageError(`--target agreement:SHARE needs a share in (0, 1], got ${m[2]}.`);
        return { kind: "agreement", value };
    }
    if (!labelled) throw new UsageError(`--target accuracy:${m[2]} needs an "answer" on every prompt of --file.`);
    if (value < 0 || value > 100) throw new UsageError(`--target accuracy:POINTS needs 0–100 points, got ${m[2]}.`);
    return { kind: "accuracy", points: value };
}

export async function calibrateCommand(args: string[], io: Io): Promise<number> {
    const { values } = parse(args, {
        ...MODEL_OPTIONS, pair: { type: "string" }, file: { type: "string" }, out: { type: "string" }, problems: { type: "string" },
        target: { type: "string" }, budget: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" },
    }, false, { out: "a file name after it, e.g. --out my-pair.calibration.json", file: "a JSONL file of prompts after it" });
    if (values.help) {
        io.stdout.write(HELP + "\n");
        return 0;
    }
    if (values["llm-url"] !== undefined) throw new UsageError("rstitch calibrate needs the LLM on this machine (--llm FILE), not on a server.");
    if (values.pair !== undefined && (values.slm !== undefined || values.llm !== undefined)) throw new UsageError("Give --pair or --slm/--llm, not both.");
    const named = pairFiles(values.pair);
    const modelValues = { ...values, ...named };
    const demo = demoModelPaths(packageRoot());
    const slmPath = resolve(modelValues.slm ?? demo.slm), llmPath = resolve(modelValues.llm ?? demo.llm);
    const builtIn = builtInPrompts(packageRoot(), slmPath);
    let lines: PromptLine[];
    let source: string;
    if (values.file !== undefined) {
        lines = promptsFrom(values.file);
        source = basename(values.file);
    } else if (builtIn) {
        lines = promptsFrom(builtIn.path);
        source = builtIn.source;
    } else {
        throw new UsageError("Give the prompts to calibrate on: --file PROMPTS.jsonl, one {\"prompt\": \"...\"} per line, questions like the ones you will ask (an \"answer\" per line lets it aim at accuracy).");
    }
    const count = number("problems", values.problems, 1, 100_000, true) ?? (values.file === undefined ? BUILT_IN_PROMPTS : lines.length);
    lines = lines.slice(0, count);
    const labelled = lines.every((l) => l.answer !== undefined);
    const target = parseTarget(values.target, labelled);
    const budget = number("budget", values.budget, 1, 100_000, true) ?? DEFAULT_BUDGET;
    const out = resolve(values.out ?? calibrationPathFor(slmPath, llmPath));

    const started = performance.now();
    const pair = await openPair(modelValues);
    const bar = new ProgressBar(io.stderr, lines.length, "calibrating");
    try {
        const calibration = await calibrateOnPrompts(pair, { lines, target, budget, source, onProgress: (d) => bar.update(d), signal: io.signal });
        bar.end();
        if (!calibration) {
            io.stderr.write("rstitch: calibration stopped; nothing written.\n");
            return 130;
        }
        try {
            writeFileSync(out, JSON.stringify(calibration, null, 2) + "\n");
        } catch (e) {
            io.stderr.write(`rstitch: could not write ${out}: ${(e as Error).message}\n`);
            return 1;
        }
        const seconds = (performance.now() - started) / 1000;
        if (values.json) {
            io.stdout.write(JSON.stringify({ file: out, seconds, calibration }) + "\n");
        } else {
            const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
            const t = calibration.threshold, r = calibration.router;
            io.stdout.write([
                `calibrated on ${calibration.prompts} prompts (${source}) in ${seconds.toFixed(0)} s; target: ${targetText(target)}`,
                `entropy rule: τ = ${t.tau} (agreement ${pct(t.measured.agreement)}, LLM share ${pct(t.measured.llmShare)}, ${t.measured.handOvers.toFixed(1)} hand-overs per answer, modelled time ${pct(t.measured.relativeCost)} of LLM-only)`,
                `router: consulted above τ = ${r.tau}, switches where P(differs) > ${r.cut} (agreement ${pct(r.measured.agreement)}, LLM share ${pct(r.measured.llmShare)}, ${r.measured.handOvers.toFixed(1)} hand-overs, modelled ${pct(r.measured.relativeCost)}; trained on ${calibration.trainedOn} hand-over points)`,
                `budget: holds an LLM share of ${pct(calibration.budget.llmShare)} by default (--llm-share)`,
                `wrote ${out}; use it with --calibration ${out} (--routing threshold | router | budget)`,
            ].join("\n") + "\n");
        }
        return 0;
    } finally {
        bar.end();
        await pair.dispose();
    }
}
