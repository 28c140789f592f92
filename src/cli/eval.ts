/** `rstitch eval`: accuracy, mean tokens, LLM share, switches and time per mode on a problem set. */
import { usesTau, type Mode } from "../modes.ts";
import { DEFAULT_THRESHOLD } from "../stitch/index.ts";
import { readProblems, splitPath, ProblemFileError } from "../evaluation/problems.ts";
import { ProgressBar } from "../evaluation/progress.ts";
import { runProblems, summarise, type Summary } from "../evaluation/run.ts";
import { openPair, packageRoot } from "./models.ts";
import { routingValues, ROUTING_OPTIONS } from "./calibration-option.ts";
import { DECODE_OPTIONS, decodeValues, list, MODEL_OPTIONS, MODES, number, parse } from "./options.ts";
import type { Io } from "./solve.ts";
import { HELP, UsageError } from "./usage.ts";

export function formatTable(header: string[], rows: string[][]): string {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
    return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export async function evalCommand(args: string[], io: Io): Promise<number> {
    const { values } = parse(args, {
        ...MODEL_OPTIONS, ...DECODE_OPTIONS, ...ROUTING_OPTIONS,
        problems: { type: "string" }, split: { type: "string" }, file: { type: "string" }, modes: { type: "string" },
    }, false);
    if (values.help) {
        io.stdout.write(HELP + "\n");
        return 0;
    }
    const decode = { ...decodeValues(values), ...routingValues(values) };
    const modes = list("modes", values.modes, MODES) ?? ["slm", "llm", "stitch"];
    const count = number("problems", values.problems, 1, 1_000_000, true);
    let problems;
    try {
        problems = readProblems(values.file ?? splitPath(packageRoot(), values.split ?? "heldout"));
    } catch (e) {
        if (e instanceof ProblemFileError) throw new UsageError(e.message);
        throw e;
    }
    problems = problems.slice(0, count ?? 100);

    const pair = await openPair(values);
    const summaries: Record<string, Summary> = {};
    const bar = new ProgressBar(io.stderr, problems.length * modes.length);
    try {
        for (const [m, mode] of modes.entries()) {
            bar.setLabel(mode);
            const results = await runProblems(pair, problems, { ...decode, mode, signal: io.signal }, (d) => bar.update(m * problems.length + d));
            summaries[mode] = summarise(results);
        }
    } finally {
        bar.end();
        await pair.dispose();
    }
    if (values.json) {
        io.stdout.write(JSON.stringify({ threshold: decode.threshold ?? DEFAULT_THRESHOLD, modes: summaries }) + "\n");
    } else {
        const rows = Object.entries(summaries).map(([mode, s]) => [
            usesTau(mode as Mode) ? `${mode} τ=${decode.threshold ?? DEFAULT_THRESHOLD}` : mode,
            `${(s.accuracy * 100).toFixed(1)}%`, String(s.problems), s.meanTokens.toFixed(1),
            `${(s.llmShare * 100).toFixed(1)}%`, s.switches.toFixed(1), s.msPerProblem.toFixed(0),
        ]);
        io.stdout.write(formatTable(["mode", "accuracy", "problems", "mean tokens", "LLM share", "switches", "ms/problem"], rows) + "\n");
    }
    return io.signal.aborted ? 130 : 0;
}
