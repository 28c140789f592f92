/**
 * `rstitch load`: N stitched clients at once on one LLM server, then the same N LLM-only, on the same
 * problems (src/evaluation/load.ts runs them; load-figures.ts computes the figures). Loopback servers
 * only unless --allow-remote-host: a load test is not something to aim at someone else's server.
 */
import { DEFAULT_BUDGET, DEFAULT_THRESHOLD, type ModelPair } from "../stitch/index.ts";
import { peopleAtEqualP95, type LoadPoint, type PhaseFigures } from "../evaluation/load-figures.ts";
import { runPhase, type LoadHooks } from "../evaluation/load.ts";
import { ProblemFileError, readProblems, splitPath } from "../evaluation/problems.ts";
import { ProgressBar } from "../evaluation/progress.ts";
import { formatTable } from "./eval.ts";
import { openPairs, packageRoot, serverSettings } from "./models.ts";
import { decodeValues, MODEL_OPTIONS, number, parse } from "./options.ts";
import type { Io } from "./solve.ts";
import { HELP, UsageError } from "./usage.ts";

export const MAX_CLIENTS = 32;
export const DEFAULT_TIME_LIMIT_S = 600;

const LOAD_OPTIONS = {
    ...MODEL_OPTIONS,
    clients: { type: "string" }, problems: { type: "string" }, split: { type: "string" }, file: { type: "string" },
    threshold: { type: "string" }, budget: { type: "string" }, entropy: { type: "string" },
    "time-limit": { type: "string" }, "allow-remote-host": { type: "boolean" },
    json: { type: "boolean" }, help: { type: "boolean", short: "h" },
} as const;

export interface LoadRun {
    clients: number;
    stitch: PhaseFigures;
    llm: PhaseFigures;
    /** LLM-only p95 over stitched p95 at the same N (above 1: stitched answers come sooner). */
    p95Ratio: number;
}

/** Whether a server URL names this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopback(url: string): boolean {
    const host = new URL(url).hostname;
    return host === "localhost" || host === "[::1]" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function clientCounts(raw: string | undefined): number[] {
    if (raw === undefined) throw new UsageError("rstitch load needs --clients N (or a list, e.g. --clients 1,2,4,8).");
    const counts = raw.split(",").map((s) => number("clients", s.trim(), 1, MAX_CLIENTS, true)!);
    return [...new Set(counts)].sort((a, b) => a - b);
}

function row(f: PhaseFigures): string[] {
    const s = (ms: number) => (ms / 1000).toFixed(2);
    const reuse = f.server?.promptCacheReuse;
    return [
        `${f.clients}`, f.mode, f.answersPerMinute.toFixed(0), s(f.p50Ms), s(f.p95Ms),
        f.llmRequestsPerAnswer.toFixed(1), f.llmTokensPerAnswer.toFixed(1),
        reuse === undefined || reuse === null ? "—" : `${(reuse * 100).toFixed(0)}%`,
        `${f.errors + f.mismatches + f.notRun}`,
    ];
}

export async function loadCommand(args: string[], io: Io): Promise<number> {
    const { values } = parse(args, LOAD_OPTIONS, false);
    if (values.help) {
        io.stdout.write(HELP + "\n");
        return 0;
    }
    const server = serverSettings(values);
    if (!server) throw new UsageError("rstitch load measures an LLM server: give --llm-url URL (e.g. a llama-server on http://127.0.0.1:8080).");
    if (!isLoopback(server.url) && !values["allow-remote-host"]) {
        throw new UsageError(`--llm-url ${server.url} is not on this machine; rstitch load sends many requests at once, so it runs against loopback servers only unless you add --allow-remote-host (for a server you run).`);
    }
    const counts = clientCounts(values.clients);
    const decode = decodeValues({ threshold: values.threshold, budget: values.budget, entropy: values.entropy });
    const timeLimitMs = (number("time-limit", values["time-limit"], 1, 24 * 3600) ?? DEFAULT_TIME_LIMIT_S) * 1000;
    let problems;
    try {
        problems = readProblems(values.file ?? splitPath(packageRoot(), values.split ?? "test"));
    } catch (e) {
        if (e instanceof ProblemFileError) throw new UsageError(e.message);
        throw e;
    }
    problems = problems.slice(0, number("problems", values.problems, 1, 1000, true) ?? 16);

    const most = counts[counts.length - 1];
    const pairs: ModelPair[] = await openPairs(values, most);
    const total = counts.reduce((a, n) => a + 2 * n * problems.length, 0);
    const bar = new ProgressBar(io.stderr, total);
    let done = 0;
    const hooks: LoadHooks = { onAnswer: () => bar.update(++done) };
    const runs: LoadRun[] = [];
    try {
        for (const n of counts) {
            const phase = async (mode: "stitch" | "llm") => {
                bar.setLabel(`${n} client${n === 1 ? "" : "s"}, ${mode}`);
                return (await runPhase(pairs.slice(0, n), problems, { decode: { ...decode, mode }, timeLimitMs, signal: io.signal, hooks, server: { url: server.url, apiKey: server.apiKey } })).figures;
            };
            const stitch = await phase("stitch");
            const llm = await phase("llm");
            runs.push({ clients: n, stitch, llm, p95Ratio: stitch.p95Ms > 0 ? llm.p95Ms / stitch.p95Ms : 0 });
            if (io.signal.aborted) break;
        }
    } finally {
        bar.end();
        for (const pair of pairs) await pair.dispose();
    }
    const points: LoadPoint[] = runs.map((r) => ({ clients: r.clients, stitchP95Ms: r.stitch.p95Ms, llmP95Ms: r.llm.p95Ms }));
    const people = runs.length > 1 ? runs.map((r) => ({ clients: r.clients, ...peopleAtEqualP95(points, r.clients) })) : null;
    const failures = runs.reduce((a, r) => a + r.stitch.errors + r.llm.errors + r.stitch.mismatches + r.llm.mismatches + r.stitch.notRun + r.llm.notRun, 0);
    if (values.json) {
        io.stdout.write(JSON.stringify({
            server: pairs[0]?.remoteLlm ?? null,
            threshold: decode.threshold ?? DEFAULT_THRESHOLD,
            budget: decode.budget ?? DEFAULT_BUDGET,
            problems: problems.length,
            runs,
            peopleAtEqualP95: people,
            failures,
        }) + "\n");
    } else {
        io.stdout.write(formatTable(["clients", "mode", "answers/min", "p50 s", "p95 s", "LLM requests/answer", "LLM tokens/answer", "cache reuse", "errors"], runs.flatMap((r) => [row(r.stitch), row(r.llm)])) + "\n");
        for (const p of people ?? []) {
            const figure = p.people === null ? `fewer than ${counts[0]}` : `${p.beyond ? "at least " : ""}${p.people}`;
            io.stdout.write(`${p.clients} LLM-only client${p.clients === 1 ? "" : "s"}' p95: ${figure} stitched clients get the same p95\n`);
        }
        for (const r of runs) for (const f of [r.stitch, r.llm]) for (const e of f.errorMessages) io.stderr.write(`rstitch: ${f.clients} clients, ${f.mode}: ${e.count}× ${e.message}\n`);
    }
    if (io.signal.aborted) return 130;
    return failures > 0 ? 1 : 0;
}
