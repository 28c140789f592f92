/**
 * `rstitch calibrate`: runs the pair on prompts (the user's --file, or the tuning split for the demo
 * and paper pairs; never the test split), learns where its SLM's token is the LLM's own, and writes
 * the calibration (the τ for the target, the router, the budget) beside the models or to --out.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { measureCosts } from "../evaluation/costs.ts";
import { ProgressBar } from "../evaluation/progress.ts";
import { scoreAnswer } from "../evaluation/score.ts";
import { calibratePair } from "../stitch/calibrate.ts";
import { calibrationPathFor } from "../stitch/calibration.ts";
import { targetText, type Target } from "../stitch/calibration-fit.ts";
import type { TeacherPrompt } from "../stitch/calibrate-collect.ts";
import { DEFAULT_BUDGET, demoModelPaths } from "../stitch/index.ts";
import { openPair, packageRoot, pairFiles } from "./models.ts";
import { MODEL_OPTIONS, number, parse } from "./options.ts";
import type { Io } from "./solve.ts";
import { HELP, UsageError } from "./usage.ts";

/** Built-in prompts for the demo and paper pairs (their kind: the arithmetic they were trained on). */
const BUILT_IN_SPLIT = "tune";
const DEFAULT_PROMPTS = 200;

interface PromptLine {
    prompt: string;
    answer?: string;
}

/** JSONL, one {"prompt": "...", "answer"?: "..."} per line; the answer is optional. */
export function readPromptFile(path: string): PromptLine[] {
    if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`--file ${path}: no such file.`);
    const out: PromptLine[] = [];
    readFileSync(path, "utf8").split(/\r?\n/).forEach((line, i) => {
        if (!line.trim()) return;
        let row: unknown;
        try {
            row = JSON.parse(line);
        } catch {
            throw new UsageError(`${path} line ${i + 1} is not JSON; each line must be {"prompt": "..."} (an "answer" is optional).`);
        }
        const r = row as Record<string, unknown> | null;
        if (typeof r !== "object" || r === null || typeof r.prompt !== "string" || !r.prompt.trim()) {
            throw new UsageError(`${path} line ${i + 1} needs a string "prompt" (an "answer" is optional).`);
        }
        out.push({ prompt: r.prompt, ...(typeof r.answer === "string" || typeof r.answer === "number" ? { answer: String(r.answer) } : {}) });
    });
    if (out.length === 0) throw new UsageError(`${path} holds no prompts.`);
    return out;
}

/** --target agreement:0.99 | accuracy:1 (points); default: accuracy within 1 point when every prompt has an answer, else agreement ≥ 99%. */
export function parseTarget(raw: string | undefined, labelled: boolean): Target {
    if (raw === undefined) return labelled ? { kind: "accuracy", points: 1 } : { kind: "agreement", value: 0.99 };
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
    const projectPair = /^(demo|paper)-slm\.gguf$/.test(basename(slmPath)) && dirname(slmPath) === resolve(packageRoot(), "models");
    let lines: PromptLine[];
    let source: string;
    if (values.file !== undefined) {
        lines = readPromptFile(values.file);
        source = basename(values.file);
    } else if (projectPair) {
        lines = readPromptFile(resolve(packageRoot(), "data", `${BUILT_IN_SPLIT}.jsonl`));
        source = `built-in (data/${BUILT_IN_SPLIT}.jsonl)`;
    } else {
        throw new UsageError("Give the prompts to calibrate on: --file PROMPTS.jsonl, one {\"prompt\": \"...\"} per line, questions like the ones you will ask (an \"answer\" per line lets it aim at accuracy).");
    }
    const count = number("problems", values.problems, 1, 100_000, true) ?? (values.file === undefined ? DEFAULT_PROMPTS : lines.length);
    lines = lines.slice(0, count);
    const labelled = lines.every((l) => l.answer !== undefined);
    const target = parseTarget(values.target, labelled);
    const budget = number("budget", values.budget, 1, 100_000, true) ?? DEFAULT_BUDGET;
    const out = resolve(values.out ?? calibrationPathFor(slmPath, llmPath));

    const started = performance.now();
    const pair = await openPair(modelValues);
    const bar = new ProgressBar(io.stderr, lines.length, "calibrating");
    try {
        const cost = await measureCosts(pair, lines.slice(0, 8).map((l) => l.prompt).join("\n"));
        const costs = { slmPass: cost.slm.decodeMs, llmPass: cost.llm.decodeMs, llmPrefill: cost.llm.prefillMsPerToken, switchMs: cost.slm.prefillMsPerToken };
        const prompts: TeacherPrompt[] = lines.map((l) => ({ prompt: l.prompt, ...(l.answer !== undefined ? { correct: (text: string) => scoreAnswer(text, l.answer!).correct } : {}) }));
        const calibration = await calibratePair(pair, { prompts, target, budget, costs, source, onProgress: (d) => bar.update(d), signal: io.signal });
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
