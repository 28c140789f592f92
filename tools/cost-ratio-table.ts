/**
 * One Markdown table from bench runs of the same pair at different LLM cost ratios (`rstitch bench
 * --llm-cost-ratio R`): a row per configuration, its accuracy and its speedup over LLM-only at each
 * run's measured LLM/SLM decode cost ratio. Also checks that each configuration wrote the same answers
 * and token counts in every run on the problems the runs share (the variant writes the LLM's tokens),
 * and says where not.
 *
 *   node --import tsx tools/cost-ratio-table.ts results/cost-ratio/demo-r3 results/cost-ratio/demo-r10 results/cost-ratio/demo-r20
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

interface Row {
    config: { id: string; label: string };
    isDefault: boolean; accuracy: number; speedup: number; msPerProblem: number; meanTokens: number; llmShare: number;
    answers: (string | null)[]; tokens: number[];
}
interface Report {
    problems: number; costs: { slm: { decodeMs: number }; llm: { decodeMs: number } };
    configs: Row[]; llmVariant: { layers: number; sourceLayers: number } | null; models: { llm: string };
}

const dirs = process.argv.slice(2);
if (dirs.length === 0) throw new Error("usage: cost-ratio-table.ts <bench out dir>...");
const runs = dirs.map((d) => JSON.parse(readFileSync(join(d, "bench.json"), "utf8")) as Report);
const ratio = (r: Report) => r.costs.llm.decodeMs / r.costs.slm.decodeMs;
/** LLM-only ÷ SLM-only wall time per written token in the run: the ratio as every row met it, call overheads included. */
const wallRatio = (r: Report) => {
    const per = (id: string) => { const c = r.configs.find((x) => x.config.id === id)!; return c.msPerProblem / c.meanTokens; };
    return per("llm") / per("slm");
};
const layers = (r: Report) => r.llmVariant?.layers ?? "own";
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const head = ["configuration", "accuracy", ...runs.map((r) => `${layers(r)} layers: ratio ${ratio(r).toFixed(1)} (${wallRatio(r).toFixed(1)})`)];
console.log(`| ${head.join(" | ")} |`);
console.log(`|${head.map(() => "---").join("|")}|`);
for (const c of runs[0].configs) {
    const same = runs.map((r) => r.configs.find((x) => x.config.id === c.config.id));
    // One figure where every run agrees (the same problems), else each run's.
    const acc = [...new Set(same.map((x) => (x ? pct(x.accuracy) : "—")))].join(" / ");
    const label = c.config.label + (c.isDefault ? " (default)" : "");
    console.log(`| ${label} | ${acc} | ${same.map((x) => (x ? `${x.speedup.toFixed(2)}×` : "—")).join(" | ")} |`);
}
console.log(`\n${runs.map((r, i) => `${dirs[i]}: ${r.problems} problems, LLM only ${r.configs.find((c) => c.config.id === "llm")!.msPerProblem.toFixed(1)} ms/problem, ` +
    `decode ms/token SLM ${r.costs.slm.decodeMs.toFixed(3)}, LLM ${r.costs.llm.decodeMs.toFixed(3)}`).join("\n")}`);
const differ = runs[0].configs.filter((c) => runs.some((r) => {
    const x = r.configs.find((y) => y.config.id === c.config.id);
    // Runs on fewer problems are compared on the problems they share (the first ones of the file).
    const n = Math.min(c.answers.length, x?.answers.length ?? 0);
    const same = (a: unknown[], b: unknown[]) => JSON.stringify(a.slice(0, n)) === JSON.stringify(b.slice(0, n));
    return x && (!same(x.answers, c.answers) || !same(x.tokens, c.tokens));
})).map((c) => c.config.id);
console.log(differ.length ? `answers or token counts differ between runs in: ${differ.join(", ")}` : "every configuration wrote the same answers and token counts in every run");
