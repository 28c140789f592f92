/**
 * Follow-up accuracy of a pair on the conversations of data/followups.jsonl (tools/tasks.py
 * --follow-ups: a test-split question, then two follow-ups such as "Now add 100 to that"), through
 * the product's conversation path: ModelPair.solve with the conversation so far (each earlier answer
 * the model's own), greedy, with reuse between turns as `rstitch chat` does.
 *
 *   node --import tsx tools/followup-accuracy.ts [--slm F] [--llm F] [--modes slm,llm,stitch] [--threshold T] [--n 200]
 *
 * Per mode: turn 1 (the question), and each follow-up scored two ways: "follows" = right about the
 * model's own previous answer (what the follow-up asks of it), "chain" = right with every turn so far.
 */
import { readFileSync } from "node:fs";
import { DEFAULT_THRESHOLD, demoModelPaths, loadPair, replyOf, type ChatMessage, type Mode } from "../src/stitch/index.ts";
import { scoreAnswer } from "../src/evaluation/score.ts";

const args = process.argv.slice(2);
const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
};
const root = new URL("..", import.meta.url).pathname;
const demo = demoModelPaths(root);
const slmPath = opt("--slm") ?? demo.slm, llmPath = opt("--llm") ?? demo.llm;
const modes = (opt("--modes") ?? "slm,llm,stitch").split(",") as Mode[];
const threshold = Number(opt("--threshold") ?? DEFAULT_THRESHOLD);
const n = Number(opt("--n") ?? 200);

interface Conversation { questions: string[]; answers: string[]; computations: [string, number, number][] }
const conversations = readFileSync(new URL("../data/followups.jsonl", import.meta.url), "utf8")
    .trim().split("\n").slice(0, n).map((l) => JSON.parse(l) as Conversation);

const apply = (op: string, x: bigint, y: bigint) => (op === "+" ? x + y : op === "-" ? x - y : x * y);

const pair = await loadPair({ slmPath, llmPath, threads: 1, contextSize: 2048 });
try {
    for (const mode of modes) {
        const first = [0, 0];
        const follows = [[0, 0], [0, 0]], chain = [[0, 0], [0, 0]];
        const byOp: Record<string, [number, number]> = {};
        let shown = 0;
        for (const c of conversations) {
            const history: ChatMessage[] = [];
            let chainOk = true;
            let own: string | null = null;
            for (const [turn, q] of c.questions.entries()) {
                let text = "";
                for await (const e of pair.solve({ prompt: q, history, mode, threshold, budget: 300, reuse: turn > 0 })) {
                    if (e.type === "error") throw new Error(e.message);
                    if (e.type === "done") text = e.text;
                }
                const extracted = scoreAnswer(text, c.answers[turn]).extracted;
                chainOk &&= extracted === c.answers[turn];
                if (turn === 0) {
                    first[0] += chainOk ? 1 : 0; first[1]++;
                } else {
                    const [op, , y] = c.computations[turn];
                    // What the follow-up asks of the model's own previous answer.
                    const wanted: string | null = own !== null && /^-?\d+$/.test(own) ? String(apply(op, BigInt(own), BigInt(y))) : null;
                    const ok = wanted !== null && extracted === wanted;
                    follows[turn - 1][0] += ok ? 1 : 0; follows[turn - 1][1]++;
                    chain[turn - 1][0] += chainOk ? 1 : 0; chain[turn - 1][1]++;
                    byOp[op] ??= [0, 0]; byOp[op][0] += ok ? 1 : 0; byOp[op][1]++;
                    if (!ok && shown < Number(opt("--show") ?? 0)) {
                        shown++;
                        console.log(`BAD ${mode} turn ${turn + 1} "${q}" after ${own}: wanted ${wanted}\n${text}\n`);
                    }
                }
                own = extracted;
                history.push({ role: "user", text: q }, { role: "assistant", text: replyOf(text) });
            }
        }
        const pct = ([a, b]: number[]) => `${(100 * a / b).toFixed(1)}% (${a}/${b})`;
        const all = [follows[0][0] + follows[1][0], follows[0][1] + follows[1][1]];
        console.log(`${mode}${mode === "stitch" ? ` τ=${threshold}` : ""}: turn 1 ${pct(first)}; follow-ups right about the previous answer ${pct(all)} ` +
            `(turn 2 ${pct(follows[0])}, turn 3 ${pct(follows[1])}; ${Object.entries(byOp).map(([op, v]) => `${op} ${pct(v)}`).join(", ")}); ` +
            `whole chain right: turn 2 ${pct(chain[0])}, turn 3 ${pct(chain[1])}`);
    }
} finally {
    await pair.dispose();
}
