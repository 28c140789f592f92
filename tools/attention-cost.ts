/**
 * What one forward pass costs with llama.cpp's flash attention on and off, by batch size: the figure
 * behind defaultFlashAttention (src/stitch/defaults.ts). R-Stitch's catch-up batches are 2–20 tokens,
 * and llama.cpp's CPU flash attention handles batches under 64 tokens one query row at a time.
 *
 *   node --import tsx tools/attention-cost.ts [model.gguf] [--batches 1,2,4,8,16,32,64] [--repeats 15]
 *
 * Both settings run in one process, interleaved, after the same 40-token context; medians in ms.
 */
import { parseArgs } from "node:util";
import { getLlama, LlamaLogLevel, type LlamaContextSequence, type Token } from "node-llama-cpp";

const { values, positionals } = parseArgs({
    options: { batches: { type: "string", default: "1,2,4,8,16,32,64" }, repeats: { type: "string", default: "15" }, threads: { type: "string", default: "1" } },
    allowPositionals: true,
});
const modelPath = positionals[0] ?? "models/demo-llm.gguf";
const batches = values.batches.split(",").map(Number);
const repeats = Number(values.repeats);
const CONTEXT = 40;

const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath });
const sequences = new Map<string, LlamaContextSequence>();
for (const fa of [true, false]) {
    const context = await model.createContext({ contextSize: 512, threads: Number(values.threads), flashAttention: fa });
    sequences.set(fa ? "on" : "off", context.getSequence());
}
// Letters of the byte-level demo vocabulary; any model's token ids below 97 + 26 serve as well.
const tokens = (n: number) => Array.from({ length: n }, (_, i) => (97 + (i % 26)) as Token);
const withPrediction = (ts: Token[]) => ts.map((t, i) => (i === ts.length - 1 ? [t, { generateNext: { token: true } }] : t)) as never;

const times = new Map<string, number[]>();
for (let r = 0; r < repeats; r++) {
    for (const [fa, sequence] of sequences) {
        for (const n of batches) {
            await sequence.clearHistory();
            await sequence.controlledEvaluate(withPrediction(tokens(CONTEXT)));
            const started = performance.now();
            await sequence.controlledEvaluate(withPrediction(tokens(n)));
            const key = `${fa}:${n}`;
            times.set(key, [...(times.get(key) ?? []), performance.now() - started]);
        }
    }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`${modelPath}: ms per forward pass after ${CONTEXT} tokens, median of ${repeats}, ${values.threads} thread(s)`);
console.log("batch   flash on   flash off   off/on");
for (const n of batches) {
    const on = median(times.get(`on:${n}`)!);
    const off = median(times.get(`off:${n}`)!);
    console.log(`${String(n).padStart(5)} ${on.toFixed(2).padStart(10)} ${off.toFixed(2).padStart(11)} ${(off / on).toFixed(2).padStart(8)}`);
}
