/**
 * Per-token decode cost of the demo pair through node-llama-cpp: alternates the two models over
 * several rounds (so machine load hits both alike), each round one-token greedy steps after a
 * held-out prompt, and reports the median ms per token and the LLM/SLM ratio.
 *
 *   node --import tsx tools/decode-cost.ts [models/demo-slm.gguf models/demo-llm.gguf] [--threads 1] [--rounds 15]
 */
import { readFileSync } from "node:fs";
import { getLlama, LlamaLogLevel, resolveChatWrapper, type LlamaModel } from "node-llama-cpp";

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const paths = args.filter((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1].startsWith("--")));
const [slmPath, llmPath] = paths.length ? paths : ["models/demo-slm.gguf", "models/demo-llm.gguf"];
const threads = opt("--threads", 1), rounds = opt("--rounds", 15), steps = 100;

const prompts = readFileSync(new URL("../data/heldout.jsonl", import.meta.url), "utf8").trim().split("\n")
    .map((l) => (JSON.parse(l) as { prompt: string }).prompt);
const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });

async function lane(path: string) {
    const model: LlamaModel = await llama.loadModel({ modelPath: path });
    const ctx = await model.createContext({ contextSize: 512, threads });
    const seq = ctx.getSequence();
    const wrapper = resolveChatWrapper(model);
    /** ms per one-token step: `steps` tokens after the prompt, ignoring end of turn (cost, not text). */
    async function run(prompt: string): Promise<number> {
        await seq.clearHistory();
        const { contextText } = wrapper.generateContextState({ chatHistory: [{ type: "user", text: prompt }, { type: "model", response: [] }] });
        const gen = seq.evaluate(contextText.tokenize(model.tokenizer), { temperature: 0, yieldEogToken: true });
        let n = 0, t0 = 0;
        for await (const _ of gen) {
            if (n === 0) t0 = performance.now(); // after the prompt's batch
            if (++n > steps) break;
        }
        return (performance.now() - t0) / steps;
    }
    return { run, dispose: async () => { await ctx.dispose(); await model.dispose(); } };
}

const slm = await lane(slmPath), llm = await lane(llmPath);
const s: number[] = [], l: number[] = [];
for (let r = 0; r < rounds; r++) {
    s.push(await slm.run(prompts[r]));
    l.push(await llm.run(prompts[r]));
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
const ratios = s.map((v, i) => l[i] / v);
console.log(`threads ${threads}, ${rounds} rounds x ${steps} tokens: SLM ${median(s).toFixed(3)} ms/token, ` +
    `LLM ${median(l).toFixed(3)} ms/token, ratio of medians ${(median(l) / median(s)).toFixed(2)}, median per-round ratio ${median(ratios).toFixed(2)}`);
await slm.dispose();
await llm.dispose();
