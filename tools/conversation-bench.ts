/**
 * Reuse between turns, measured: one conversation of ten questions on a pair (default the demo
 * pair), asked twice — with reuse (a follow-up evaluates only what the models do not hold) and
 * without (every turn reads the whole conversation again). Prints per turn the prompt's length,
 * the prompt tokens each model evaluated, and the time to the first token; the tokens written must
 * be the same both ways (checked, the run fails otherwise).
 *   node --import tsx tools/conversation-bench.ts [--slm FILE --llm FILE] [--mode stitch] [--threads 1]
 */
import { parseArgs } from "node:util";
import { demoModelPaths, loadPair, replyOf, type ChatMessage, type Mode } from "../src/stitch/index.ts";

const { values } = parseArgs({ options: { slm: { type: "string" }, llm: { type: "string" }, mode: { type: "string" }, threads: { type: "string" }, budget: { type: "string" } } });
const demo = demoModelPaths(new URL("..", import.meta.url).pathname);
const QUESTIONS = ["What is 47 * 36?", "Now add 100 to that", "What is 58 * 27?", "What is 123 + 456?", "What is 91 * 13?", "What is 800 - 345?", "What is 64 * 64?", "What is 999 + 1?", "What is 72 * 15?", "What is 305 - 99?"];

const pair = await loadPair({ slmPath: values.slm ?? demo.slm, llmPath: values.llm ?? demo.llm, threads: Number(values.threads ?? 1) });
interface Row { promptTokens: number; leftOut: number; slm: number; llm: number; firstTokenMs: number; ids: string }
async function conversation(reuse: boolean): Promise<Row[]> {
    const history: ChatMessage[] = [];
    const rows: Row[] = [];
    for (const [i, q] of QUESTIONS.entries()) {
        const started = performance.now();
        let first: number | undefined;
        const ids: number[] = [];
        // Turn 1 starts from an empty sequence in both runs.
        for await (const e of pair.solve({ prompt: q, history, mode: (values.mode ?? "stitch") as Mode, budget: Number(values.budget ?? 160), reuse: reuse && i > 0 })) {
            if (e.type === "token") {
                first ??= performance.now() - started;
                ids.push(e.id);
            } else if (e.type === "error") throw new Error(e.message);
            else if (e.type === "done") {
                const p = e.stats.prompt!;
                rows.push({ promptTokens: p.tokens, leftOut: p.turnsLeftOut, slm: p.prefill.slm, llm: p.prefill.llm, firstTokenMs: first ?? NaN, ids: ids.join(",") });
                history.push({ role: "user", text: q }, { role: "assistant", text: replyOf(e.text) });
            }
        }
    }
    return rows;
}
const without = await conversation(false);
const withReuse = await conversation(true);
await pair.dispose();
console.log("| turn | prompt tokens | turns left out | prefill SLM / LLM, no reuse | first token, no reuse | prefill SLM / LLM, reuse | first token, reuse |");
console.log("|---|---|---|---|---|---|---|");
for (let i = 0; i < QUESTIONS.length; i++) {
    const a = without[i], b = withReuse[i];
    if (a.ids !== b.ids) throw new Error(`turn ${i + 1}: reuse changed the tokens written`);
    console.log(`| ${i + 1} | ${a.promptTokens} | ${a.leftOut} | ${a.slm} / ${a.llm} | ${a.firstTokenMs.toFixed(1)} ms | ${b.slm} / ${b.llm} | ${b.firstTokenMs.toFixed(1)} ms |`);
}
console.log("Same tokens with and without reuse in every turn.");
