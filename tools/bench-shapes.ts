/**
 * Chooses demo model shapes by measurement: writes random-weight GGUFs of candidate shapes and times
 * one-token greedy decode through node-llama-cpp (2 threads). Also prints the token ids of the chat
 * prompt node-llama-cpp renders, which the trainer must reproduce exactly.
 * Usage: node --import tsx tools/bench-shapes.ts [embd:layers:heads:ffn ...]
 */
import { mkdirSync } from "node:fs";
import { getLlama, LlamaLogLevel, resolveChatWrapper, type Token } from "node-llama-cpp";
import { countParameters, llamaTensorShapes, writeLlamaGguf, type LlamaShape } from "./gguf/llama.ts";
import { BYTE_VOCAB_SIZE } from "./gguf/byte-vocab.ts";

function randomTensors(shape: LlamaShape, seed: number): Record<string, Float32Array> {
    let s = seed >>> 0;
    const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
    const out: Record<string, Float32Array> = {};
    for (const [name, dims] of llamaTensorShapes(shape, BYTE_VOCAB_SIZE)) {
        const a = new Float32Array(dims.reduce((x, y) => x * y, 1));
        if (dims.length === 1) a.fill(1);
        else for (let i = 0; i < a.length; i++) a[i] = rand() * 0.2;
        out[name] = a;
    }
    return out;
}

const specs = process.argv.slice(2).length ? process.argv.slice(2) : ["64:2:4:192", "256:6:8:768"];
const dir = "tools/out/bench";
mkdirSync(dir, { recursive: true });
const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
let printedPrompt = false;
for (const spec of specs) {
    const [embd, layers, heads, ffn, type] = spec.split(":");
    const shape: LlamaShape = { embd: +embd, layers: +layers, heads: +heads, headsKv: +heads, ffn: +ffn, contextLength: 512 };
    const path = `${dir}/${spec.replace(/:/g, "_")}.gguf`;
    writeLlamaGguf(path, { name: spec, shape, tensors: randomTensors(shape, 1), type: type === "f16" ? "f16" : "f32" });
    const model = await llama.loadModel({ modelPath: path });
    if (!printedPrompt) {
        const wrapper = resolveChatWrapper(model);
        const { contextText } = wrapper.generateContextState({
            chatHistory: [{ type: "user", text: "What is 47 * 36?" }, { type: "model", response: [] }],
        });
        const toks = contextText.tokenize(model.tokenizer);
        console.log("wrapper", wrapper.wrapperName, "prompt tokens", JSON.stringify(toks));
        console.log("prompt text", JSON.stringify(model.detokenize(toks, true)));
        printedPrompt = true;
    }
    const ctx = await model.createContext({ contextSize: 512, threads: Number(process.env.THREADS ?? 2) });
    const seq = ctx.getSequence();
    const times: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
        await seq.clearHistory();
        const gen = seq.evaluate([258, 117, 10, 65] as Token[], { temperature: 0, yieldEogToken: true });
        let n = 0;
        const t0 = performance.now();
        for await (const _tok of gen) { if (++n >= 200) break; }
        times.push((performance.now() - t0) / n);
    }
    times.sort((a, b) => a - b);
    console.log(`${spec}\tparams ${(countParameters(shape, BYTE_VOCAB_SIZE) / 1e6).toFixed(3)}M\tms/token median ${times[1].toFixed(3)} min ${times[0].toFixed(3)}`);
    await ctx.dispose();
    await model.dispose();
}
