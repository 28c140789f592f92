/**
 * Greedy accuracy of one GGUF model alone on the held-out problems, through node-llama-cpp, with the
 * prompt rendered by the model's own chat wrapper (as the decoder does). Also reports the mean
 * one-token decode time.
 *
 *   node --import tsx tools/quick-accuracy.ts models/demo-llm.gguf [--n 500] [--threads 1] [--show 3]
 */
import { readFileSync } from "node:fs";
import { getLlama, LlamaLogLevel, resolveChatWrapper, type Token } from "node-llama-cpp";

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : dflt;
};
const modelPath = args[0];
if (!modelPath) throw new Error("usage: quick-accuracy.ts <model.gguf> [--n 500] [--threads 1] [--show 3]");
const n = opt("--n", 500), threads = opt("--threads", 1), show = opt("--show", 0), budget = opt("--budget", 300);

/** The number on the last `Answer: N` line, or null. */
export function finalAnswer(text: string): string | null {
    const m = [...text.matchAll(/^Answer: (-?\d+)\s*$/gm)];
    return m.length ? m[m.length - 1][1] : null;
}

const problems = readFileSync(new URL("../data/heldout.jsonl", import.meta.url), "utf8")
    .trim().split("\n").slice(0, n).map((l) => JSON.parse(l) as { prompt: string; answer: string; solution: string });

const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath });
const ctx = await model.createContext({ contextSize: 512, threads });
const seq = ctx.getSequence();
const wrapper = resolveChatWrapper(model);
let correct = 0, tokens = 0, decodeMs = 0, exact = 0;
const byOp: Record<string, [number, number]> = {};
for (const [i, p] of problems.entries()) {
    await seq.clearHistory();
    const { contextText } = wrapper.generateContextState({ chatHistory: [{ type: "user", text: p.prompt }, { type: "model", response: [] }] });
    const out: Token[] = [];
    const gen = seq.evaluate(contextText.tokenize(model.tokenizer), { temperature: 0, yieldEogToken: true });
    let t = performance.now();
    for await (const tok of gen) {
        const now = performance.now();
        // The first yield includes the prompt prefill; time only the one-token steps after it.
        if (out.length > 0) { decodeMs += now - t; tokens++; }
        t = now;
        if (model.isEogToken(tok) || out.length >= budget) break;
        out.push(tok);
    }
    const text = model.detokenize(out);
    const ok = finalAnswer(text) === p.answer;
    const op = p.prompt.split(" ")[3];
    byOp[op] ??= [0, 0];
    byOp[op][0] += ok ? 1 : 0;
    byOp[op][1]++;
    correct += ok ? 1 : 0;
    exact += text === p.solution ? 1 : 0;
    if (i < show || (show && !ok && i < show * 10)) console.log(`${ok ? "OK " : "BAD"} ${p.prompt}\n${text}\n`);
}
const pct = (a: number, b: number) => (100 * a / b).toFixed(1);
console.log(`${modelPath}: ${correct}/${problems.length} correct = ${pct(correct, problems.length)}% ` +
    `(solution text exact ${pct(exact, problems.length)}%); ` +
    Object.entries(byOp).map(([op, [c, t]]) => `${op} ${pct(c, t)}% of ${t}`).join(", ") +
    `; decode ${(decodeMs / tokens).toFixed(3)} ms/token over ${tokens} tokens, ${threads} thread(s)`);
await ctx.dispose();
await model.dispose();
