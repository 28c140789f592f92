/**
 * Exports a model saved by tools/train.py (tools/out/<name>.json + .bin) to GGUF with the project's
 * writer (byte-level vocabulary, ChatML template), then loads the GGUF through node-llama-cpp and
 * compares its next-token log-probabilities with the trainer's log-softmax on the reference prompts.
 *
 *   node --import tsx tools/export-gguf.ts tools/out/demo-llm.json models/demo-llm.gguf [--f16]
 */
import { readFileSync, statSync } from "node:fs";
import { getLlama, LlamaLogLevel, type Token } from "node-llama-cpp";
import { writeLlamaGguf } from "./gguf/llama.ts";

interface Manifest {
    name: string;
    shape: { embd: number; layers: number; heads: number; headsKv: number; ffn: number; contextLength: number; vocab: number };
    tensors: { name: string; shape: number[]; offset: number }[];
    references: { prompt: string; tokens: number[]; logSoftmax: number[][] }[];
    training: Record<string, unknown>;
}

export function exportManifest(manifestPath: string, outPath: string, type: "f32" | "f16"): Manifest {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
    const bin = readFileSync(manifestPath.replace(/\.json$/, ".bin"));
    const tensors: Record<string, Float32Array> = {};
    for (const t of manifest.tensors) {
        const n = t.shape.reduce((a, b) => a * b, 1);
        // Copy out so each tensor is 4-byte aligned whatever the Buffer's pool offset.
        tensors[t.name] = new Float32Array(bin.buffer.slice(bin.byteOffset + t.offset, bin.byteOffset + t.offset + n * 4));
    }
    const { vocab: _vocab, ...shape } = manifest.shape;
    writeLlamaGguf(outPath, { name: manifest.name, shape, tensors, type });
    return manifest;
}

/** Largest |Δ log p| between node-llama-cpp and the trainer over every position of the reference prompts. */
export async function compareWithTrainer(ggufPath: string, manifest: Manifest, exact: boolean) {
    const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
    const model = await llama.loadModel({ modelPath: ggufPath });
    // exact: F32 KV cache and no flash attention, to separate export errors from the default F16 KV cache.
    const kv = exact ? { experimentalKvCacheKeyType: "F32", experimentalKvCacheValueType: "F32", flashAttention: false } as const : {};
    const ctx = await model.createContext({ contextSize: 512, threads: 1, ...kv });
    const seq = ctx.getSequence();
    let maxLogp = 0, maxLogpLikely = 0, maxP = 0, positions = 0, argmaxAgree = 0;
    for (const ref of manifest.references) {
        await seq.clearHistory();
        const input = ref.tokens.map((t) => [t, { generateNext: { probabilities: true, options: { temperature: 0 } } }] as [number, object]);
        const out = await seq.controlledEvaluate(input as never);
        out.forEach((o, j) => {
            const probs = o?.next.probabilities;
            if (!probs) throw new Error(`no probabilities at position ${j}`);
            const row = ref.logSoftmax[j];
            let best = -1, bestP = -1;
            for (let id = 0; id < row.length; id++) {
                const p = probs.get(id as Token) ?? 0;
                if (p > bestP) { bestP = p; best = id; }
                maxP = Math.max(maxP, Math.abs(p - Math.exp(row[id])));
                // Log-probabilities below e^-15 are dominated by float32 rounding of p itself.
                const d = Math.abs(Math.log(Math.max(p, 1e-30)) - row[id]);
                if (row[id] > -15) maxLogp = Math.max(maxLogp, d);
                if (row[id] > Math.log(1e-3)) maxLogpLikely = Math.max(maxLogpLikely, d);
            }
            positions++;
            if (best === row.indexOf(Math.max(...row))) argmaxAgree++;
        });
    }
    await ctx.dispose();
    await model.dispose();
    return { maxAbsLogProbDiff: maxLogp, maxAbsLogProbDiffLikely: maxLogpLikely, maxAbsProbDiff: maxP, positions, argmaxAgree };
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const [manifestPath, outPath] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
    if (!manifestPath || !outPath) throw new Error("usage: export-gguf.ts <manifest.json> <out.gguf> [--f16] [--no-check]");
    const type = process.argv.includes("--f16") ? "f16" : "f32";
    const manifest = exportManifest(manifestPath, outPath, type);
    console.log(`wrote ${outPath} (${type}, ${statSync(outPath).size} bytes, step ${manifest.training.step}/${manifest.training.steps})`);
    if (!process.argv.includes("--no-check")) {
        for (const exact of [false, true]) {
            const r = await compareWithTrainer(outPath, manifest, exact);
            console.log(`check vs trainer, ${exact ? "F32 KV cache, no flash attention" : "default context (F16 KV cache)"}, ` +
                `${r.positions} positions: max |Δ log p| ${r.maxAbsLogProbDiff.toExponential(2)} (log p > -15), ` +
                `${r.maxAbsLogProbDiffLikely.toExponential(2)} (p > 1e-3); max |Δ p| ${r.maxAbsProbDiff.toExponential(2)}; ` +
                `argmax agrees ${r.argmaxAgree}/${r.positions}`);
        }
    }
}
