/**
 * The README's "many people on one server" table: for each N, a fresh llama-server with N slots
 * (-np N, 2,048 tokens each, --metrics) serving the LLM, then `rstitch load --clients N --json`
 * against it (N stitched clients, then N LLM-only), and "people per server at equal p95" read off
 * the stitched curve (src/evaluation/load-figures.ts). Prints a Markdown table, the load average
 * before and after, and writes every figure to --out (default results/load.json).
 *   node --import tsx tools/load-table.ts [--clients 1,2,4,8] [--problems 16] [--threads 1] [--server-threads 1] [--budget 96]
 * Run it under `nice` on a shared machine; it uses loopback only.
 */
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { parseArgs } from "node:util";
import type { LoadRun } from "../src/cli/load.ts";
import { peopleAtEqualP95 } from "../src/evaluation/load-figures.ts";
import { findLlamaTools, LlamaServer } from "../src/evaluation/llama-server.ts";
import { defaultFlashAttention } from "../src/stitch/defaults.ts";
import { demoModelPaths } from "../src/stitch/index.ts";

const ROOT = join(import.meta.dirname, "..");
const { values } = parseArgs({
    options: {
        clients: { type: "string" }, problems: { type: "string" }, threads: { type: "string" }, "server-threads": { type: "string" },
        budget: { type: "string" }, threshold: { type: "string" }, split: { type: "string" }, out: { type: "string" }, llm: { type: "string" }, slm: { type: "string" },
    },
});
const counts = (values.clients ?? "1,2,4,8").split(",").map(Number);
const tools = findLlamaTools();
if (typeof tools === "string") throw new Error(tools);
const demo = demoModelPaths(ROOT);
const load = (a: number[]) => a.map((x) => x.toFixed(2)).join(" ");
const before = loadavg();
const started = new Date().toISOString();
const runs: LoadRun[] = [];
for (const n of counts) {
    const server = await LlamaServer.start(tools, {
        model: values.llm ?? demo.llm, threads: Number(values["server-threads"] ?? 1), contextSize: 2048, slots: n, metrics: true,
        flashAttention: defaultFlashAttention(0),
    });
    try {
        const args = [join(ROOT, "dist", "cli.js"), "load", "--llm-url", server.url, "--clients", String(n), "--problems", values.problems ?? "16",
            "--threads", values.threads ?? "1", "--budget", values.budget ?? "96", "--split", values.split ?? "test", "--json",
            ...(values.threshold ? ["--threshold", values.threshold] : []), ...(values.slm ? ["--slm", values.slm] : [])];
        // Exit status 1 (an answer failed) still prints the figures; they are shown with their errors.
        const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 1 << 26 }).catch((e: { stdout?: string; stderr?: string }) => {
            if (!e.stdout) throw new Error(`rstitch load failed: ${e.stderr}`);
            return { stdout: e.stdout };
        });
        const report = JSON.parse(stdout) as { runs: LoadRun[] };
        runs.push(...report.runs);
        process.stderr.write(`N = ${n} done (load average ${load(loadavg())})\n`);
    } finally {
        server.stop();
    }
}
const after = loadavg();
const points = runs.map((r) => ({ clients: r.clients, stitchP95Ms: r.stitch.p95Ms, llmP95Ms: r.llm.p95Ms }));
const s = (ms: number) => (ms / 1000).toFixed(2);
const pct = (x: number | null | undefined) => (x === null || x === undefined ? "—" : `${(x * 100).toFixed(0)}%`);
const lines = [
    "| N (-np N) | answers/min stitched · LLM-only | p50 s stitched · LLM-only | p95 s stitched · LLM-only | LLM requests/answer stitched · LLM-only | LLM tokens/answer stitched · LLM-only | server prompt-cache reuse stitched · LLM-only | server busy ms/answer stitched · LLM-only | errors | people per server at equal p95 |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...runs.map((r) => {
        const p = peopleAtEqualP95(points, r.clients);
        const people = p.people === null ? `< ${counts[0]}` : `${p.beyond ? "≥ " : ""}${p.people} (${p.beyond ? "≥ " : ""}${(p.people / r.clients).toFixed(1)}×)`;
        const both = (f: (x: LoadRun["stitch"]) => string) => `${f(r.stitch)} · ${f(r.llm)}`;
        const errors = r.stitch.errors + r.llm.errors + r.stitch.mismatches + r.llm.mismatches + r.stitch.notRun + r.llm.notRun;
        return `| ${r.clients} | ${both((f) => f.answersPerMinute.toFixed(0))} | ${both((f) => s(f.p50Ms))} | ${both((f) => s(f.p95Ms))} | ${both((f) => f.llmRequestsPerAnswer.toFixed(1))} | ${both((f) => f.llmTokensPerAnswer.toFixed(1))} | ${both((f) => pct(f.server?.promptCacheReuse))} | ${both((f) => (f.server ? f.server.busyMsPerAnswer.toFixed(0) : "—"))} | ${errors} | ${people} |`;
    }),
];
const out = values.out ?? join(ROOT, "results", "load.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ started, loadAverageBefore: before, loadAverageAfter: after, problems: Number(values.problems ?? 16), runs }, null, 2) + "\n");
process.stdout.write(lines.join("\n") + `\n\nload average (1, 5, 15 min) before ${load(before)}, after ${load(after)}; figures in ${out}\n`);
