/**
 * The bench's cost-ratio LLM (src/evaluation/cost-variant.ts): the demo LLM with zero-output layers
 * added. Through real node-llama-cpp it must write the demo LLM's tokens with the same entropies,
 * alone and stitched with the SLM, on held-out prompts; the file must hold the extra layers (what
 * makes it slower: timing is measured by tools/cost-ratio.ts and the bench, never asserted). A control
 * with one added layer's weights not zero must be caught by the same comparison.
 */
import assert from "node:assert/strict";
import { closeSync, copyFileSync, openSync, readFileSync, readSync, statSync, writeSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";
import { ensureVariant } from "../../src/evaluation/cost-variant.ts";
import { validateGguf, type GgufReport } from "../../src/gguf/validate.ts";
import { demoModelPaths, loadPair, type ModelPair } from "../../src/stitch/index.ts";
import { collect, type Collected } from "../support/collect.ts";
import { testCacheDir } from "../support/test-cache.ts";

const demo = demoModelPaths(process.cwd());
const dir = testCacheDir("cost-variant");
const LAYERS = 24;
const PROMPTS = readFileSync("data/heldout.jsonl", "utf8").trim().split("\n").slice(0, 6).map((l) => (JSON.parse(l) as { prompt: string }).prompt);
const BUDGET = 160;
/** Entropy differences below this are float noise (3e-10 nats measured); a layer that is not zero moved them by 1e-4. */
const H_NOISE = 1e-6;
const ids = (c: Collected) => c.tokens.map((t) => t.id);

function readBytes(path: string, start: number, length: number): Buffer {
    const fd = openSync(path, "r");
    try {
        const b = Buffer.alloc(length);
        readSync(fd, b, 0, length, start);
        return b;
    } finally {
        closeSync(fd);
    }
}
const tensorBytes = (path: string, r: GgufReport, name: string) => {
    const t = r.tensors.find((x) => x.name === name)!;
    return readBytes(path, r.dataStart + t.offset, t.bytes);
};

describe("the demo LLM with zero-output layers", () => {
    let variant: string;
    let source: GgufReport, copy: GgufReport;
    before(() => {
        variant = ensureVariant(demo.llm, LAYERS, dir);
        source = validateGguf(demo.llm);
        copy = validateGguf(variant);
    });

    test("holds the source's tensors and metadata byte for byte, plus zero blocks up to the new layer count", () => {
        const base = source.metadata.get("llama.block_count") as number;
        assert.equal(copy.metadata.get("llama.block_count"), LAYERS);
        assert.ok(base < LAYERS);
        for (const [key, span] of source.metadataSpans) {
            if (key === "llama.block_count") continue;
            const s = copy.metadataSpans.get(key)!;
            assert.deepEqual(readBytes(variant, s.start, s.end - s.start), readBytes(demo.llm, span.start, span.end - span.start), key);
        }
        for (const t of source.tensors) assert.deepEqual(tensorBytes(variant, copy, t.name), tensorBytes(demo.llm, source, t.name), t.name);
        const template = source.tensors.filter((t) => t.name.startsWith(`blk.${base - 1}.`));
        assert.equal(copy.tensors.length, source.tensors.length + (LAYERS - base) * template.length);
        for (let l = base; l < LAYERS; l++) {
            for (const t of template) {
                const name = t.name.replace(`blk.${base - 1}.`, `blk.${l}.`);
                const c = copy.tensors.find((x) => x.name === name)!;
                assert.deepEqual([c.dims, c.type], [t.dims, t.type], name);
                const bytes = tensorBytes(variant, copy, name);
                if (name.includes("_norm.")) assert.deepEqual(bytes, tensorBytes(demo.llm, source, t.name), name);
                else assert.ok(bytes.every((b) => b === 0), `${name} is all zero`);
            }
        }
        // The extra layers are real weights to multiply: the file grows by one block per layer.
        const blockBytes = template.reduce((a, t) => a + t.bytes, 0);
        assert.ok(statSync(variant).size >= statSync(demo.llm).size + (LAYERS - base) * blockBytes);
    });

    test("llama.cpp loads it with the new layer count", async () => {
        const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
        const model = await llama.loadModel({ modelPath: variant });
        try {
            assert.equal(model.fileInfo.metadata.llama?.block_count, LAYERS);
        } finally {
            await model.dispose();
        }
    });

    describe("writes what the demo LLM writes", () => {
        let plain: ModelPair, slow: ModelPair;
        before(async () => {
            plain = await loadPair({ slmPath: demo.slm, llmPath: demo.llm, threads: 1, contextSize: 512 });
            slow = await loadPair({ slmPath: demo.slm, llmPath: variant, threads: 1, contextSize: 512 });
        });
        after(async () => {
            await plain?.dispose();
            await slow?.dispose();
        });

        test("greedy LLM-only and stitched runs: the same token ids and entropies on held-out prompts", async (t) => {
            let worst = 0, tokens = 0;
            for (const prompt of PROMPTS) {
                for (const mode of ["llm", "stitch"] as const) {
                    const a = await collect(plain, { prompt, mode, budget: BUDGET });
                    const b = await collect(slow, { prompt, mode, budget: BUDGET });
                    assert.deepEqual(ids(b), ids(a), `${mode}: ${prompt}`);
                    assert.deepEqual(b.tokens.map((x) => x.source), a.tokens.map((x) => x.source), `${mode}: ${prompt}`);
                    assert.equal(b.done.text, a.done.text);
                    for (const [i, x] of b.tokens.entries()) worst = Math.max(worst, Math.abs(x.entropy - a.tokens[i].entropy));
                    tokens += a.tokens.length;
                }
            }
            t.diagnostic(`${tokens} tokens compared; largest |ΔH| ${worst.toExponential(2)} nats`);
            assert.ok(worst < H_NOISE, `entropies equal up to float noise: largest |ΔH| ${worst}`);
        });

        test("control: an added layer with its weights not zero changes the LLM's entropies", async (t) => {
            // The last added layer gets the first block's real weights: a layer that adds to the stream.
            const broken = `${variant.replace(/\.gguf$/, "")}-control.gguf`;
            copyFileSync(variant, broken);
            const fd = openSync(broken, "r+");
            try {
                for (const t of source.tensors.filter((x) => x.name.startsWith("blk.0."))) {
                    const target = copy.tensors.find((x) => x.name === t.name.replace("blk.0.", `blk.${LAYERS - 1}.`))!;
                    writeSync(fd, tensorBytes(demo.llm, source, t.name), 0, target.bytes, copy.dataStart + target.offset);
                }
            } finally {
                closeSync(fd);
            }
            const bad = await loadPair({ slmPath: demo.slm, llmPath: broken, threads: 1, contextSize: 512 });
            try {
                let worst = 0;
                for (const prompt of PROMPTS) {
                    const a = await collect(plain, { prompt, mode: "llm", budget: BUDGET });
                    const b = await collect(bad, { prompt, mode: "llm", budget: BUDGET });
                    const n = Math.min(a.tokens.length, b.tokens.length);
                    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(b.tokens[i].entropy - a.tokens[i].entropy));
                }
                t.diagnostic(`control: largest |ΔH| ${worst.toExponential(2)} nats`);
                assert.ok(worst > H_NOISE, `a non-zero layer must show: largest |ΔH| ${worst}`);
            } finally {
                await bad.dispose();
            }
        });
    });
});
