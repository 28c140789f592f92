/**
 * The malformed-model corpus through the built CLI, as a table: how each run ended, in how long, and
 * the start of its message. `npm run build && node --import tsx test/support/malformed-table.ts`
 */
import { fixtures } from "./fixtures.ts";
import { writeMalformedCorpus } from "./malformed-gguf.ts";
import { runCase } from "./malformed-run.ts";

const f = fixtures();
const cases = writeMalformedCorpus();
const counts = new Map<string, number>();
let slowest = 0;
let unexpected = 0;
for (const c of cases) {
    const r = runCase(c, c.role === "slm" ? f.llm : f.slm);
    const ended = r.signal ? `signal ${r.signal}` : `exit ${r.code}`;
    counts.set(ended, (counts.get(ended) ?? 0) + 1);
    slowest = Math.max(slowest, r.seconds);
    if (r.signal || r.code !== c.exit) unexpected++;
    const said = r.code === 0 ? r.stdout.trim().split("\n").pop()! : r.stderr.trim();
    console.log(`${c.name.padEnd(28)} ${c.role}  ${ended.padEnd(7)} ${r.seconds.toFixed(1).padStart(5)} s  ${said.replaceAll(c.path, "FILE").slice(0, 150)}`);
}
console.log(`\n${cases.length} files: ${[...counts].map(([k, v]) => `${v} × ${k}`).join(", ")}; slowest ${slowest.toFixed(1)} s; ${unexpected} not as expected`);
