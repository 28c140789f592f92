/**
 * One bench run (`rstitch bench --out DIR`) as the README's Markdown table: every configuration with
 * its accuracy, tokens, LLM share, switches, time, speedup, catch-up per switch and draft acceptance,
 * the default and the fastest within one point of LLM-only in bold. Reads DIR/bench.json only.
 *
 *   node --import tsx tools/bench-markdown.ts results/demo
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

interface Row {
    config: { id: string; label: string };
    isDefault: boolean; accuracy: number; meanTokens: number; llmShare: number; switches: number;
    msPerProblem: number; speedup: number;
    perSwitch: { catchUpTokens: number; ms: number } | null;
    acceptance: { proposed: number; accepted: number; rate: number } | null;
}
interface Report { problems: number; configs: Row[]; recommended: { config: { id: string } } | null; costs: { slm: { decodeMs: number }; llm: { decodeMs: number } } }

const dir = process.argv[2];
if (!dir) throw new Error("usage: bench-markdown.ts <bench out dir>");
const r = JSON.parse(readFileSync(join(dir, "bench.json"), "utf8")) as Report;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const order = (c: Row) => (c.config.id.startsWith("llama.cpp-") ? 1 : 0);
const rows = [...r.configs].sort((a, b) => order(a) - order(b));

console.log("| configuration | accuracy | tokens | LLM share | switches | ms/problem | speedup | per switch | drafts accepted |");
console.log("|---|---|---|---|---|---|---|---|---|");
for (const c of rows) {
    const best = c.config.id === r.recommended?.config.id;
    const bold = (s: string) => (c.isDefault || best ? `**${s}**` : s);
    const label = c.config.label + (c.isDefault ? " (default)" : "") + (best ? " (fastest within 1 point)" : "");
    const perSwitch = c.perSwitch ? `${c.perSwitch.catchUpTokens.toFixed(1)} tok, ${c.perSwitch.ms.toFixed(2)} ms` : "—";
    const drafts = c.acceptance ? `${pct(c.acceptance.rate)} of ${(c.acceptance.proposed / r.problems).toFixed(0)}` : "—";
    console.log(`| ${bold(label)} | ${pct(c.accuracy)} | ${c.meanTokens.toFixed(1)} | ${pct(c.llmShare)} | ${c.switches.toFixed(1)} | ${c.msPerProblem.toFixed(1)} | ${bold(`${c.speedup.toFixed(2)}×`)} | ${perSwitch} | ${drafts} |`);
}
console.log(`\n${r.problems} problems; decode ms/token SLM ${r.costs.slm.decodeMs.toFixed(3)}, LLM ${r.costs.llm.decodeMs.toFixed(3)} (ratio ${(r.costs.llm.decodeMs / r.costs.slm.decodeMs).toFixed(2)}).`);
