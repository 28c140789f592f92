/**
 * The LLM/SLM per-token decode cost ratio of zero-layer LLM variants (src/evaluation/cost-variant.ts)
 * at several layer counts, measured the way the bench measures costs (src/evaluation/costs.ts), the
 * layer counts alternated round by round so machine load falls on all alike. Prints each count's
 * median ratio, a least-squares line in the layer count, and the layers it gives for ratios 10 and 20.
 *
 *   node --import tsx tools/cost-ratio.ts [--pair demo|paper] [--layers 8,16,32,48,64] [--rounds 5] [--threads 1]
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { costVariantDir, ensureVariant, sourceLayers } from "../src/evaluation/cost-variant.ts";
import { measureCosts } from "../src/evaluation/costs.ts";
import { loadPair, type ModelPair } from "../src/stitch/index.ts";

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const pairName = opt("--pair", "demo");
const rounds = Number(opt("--rounds", "5")), threads = Number(opt("--threads", "1"));
const root = new URL("..", import.meta.url).pathname;
const slm = join(root, "models", `${pairName}-slm.gguf`), llm = join(root, "models", `${pairName}-llm.gguf`);
const base = sourceLayers(llm);
const counts = opt("--layers", [1, 2, 4, 6, 8].map((k) => k * base).join(",")).split(",").map(Number);
const dir = costVariantDir({ env: process.env, platform: process.platform, home: homedir() });
const sample = (JSON.parse(readFileSync(join(root, "data", "tune.jsonl"), "utf8").split("\n")[0]) as { prompt: string }).prompt;

const pairs: [number, ModelPair][] = [];
for (const n of counts) {
    const path = n === base ? llm : ensureVariant(llm, n, dir);
    pairs.push([n, await loadPair({ slmPath: slm, llmPath: path, threads, contextSize: 512 })]);
}
const rows = new Map<number, { slm: number[]; llm: number[] }>(counts.map((n) => [n, { slm: [], llm: [] }]));
for (let r = 0; r < rounds; r++) {
    for (const [n, pair] of r % 2 ? [...pairs].reverse() : pairs) {
        const c = await measureCosts(pair, sample);
        rows.get(n)!.slm.push(c.slm.decodeMs);
        rows.get(n)!.llm.push(c.llm.decodeMs);
    }
}
for (const [, p] of pairs) await p.dispose();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`${pairName} pair, threads ${threads}, ${rounds} rounds; variants in ${dir}`);
console.log("layers | SLM ms/token | LLM ms/token | ratio (median of rounds)");
const xs: number[] = [], ys: number[] = [], slms: number[] = [];
for (const [n, v] of rows) {
    const ratio = median(v.llm.map((l, i) => l / v.slm[i]));
    console.log(`${n} | ${median(v.slm).toFixed(3)} | ${median(v.llm).toFixed(3)} | ${ratio.toFixed(2)}`);
    for (const [i, l] of v.llm.entries()) { xs.push(n); ys.push(l); slms.push(v.slm[i]); }
}
// Least squares over every round's point: LLM ms = a + b × layers.
const mx = xs.reduce((a, x) => a + x, 0) / xs.length, my = ys.reduce((a, y) => a + y, 0) / ys.length;
const b = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
const a = my - b * mx, s = median(slms);
console.log(`fit: LLM ms/token ≈ ${a.toFixed(3)} + ${b.toFixed(4)} × layers; SLM ${s.toFixed(3)} ms/token`);
for (const target of [10, 20]) console.log(`ratio ${target}: ${Math.round((target * s - a) / b)} layers`);
