/**
 * Fixture models for the decoder tests, written by the project's own GGUF writer: small llama models
 * with seeded random weights and a sharpened output layer, so that greedy streams have clear winners
 * (no near-ties) and entropies spread over [0, 1].
 */
import { mkdirSync, existsSync } from "node:fs";
import { testCacheDir } from "./test-cache.ts";
import { join } from "node:path";
import { byteVocabulary, type VocabularyOptions } from "../../tools/gguf/byte-vocab.ts";
import { llamaTensorShapes, writeLlamaGguf, type LlamaModelFile, type LlamaShape } from "../../tools/gguf/llama.ts";
import { gaussian, mulberry32 } from "./random.ts";

export interface FixtureSpec {
    name: string;
    shape: LlamaShape;
    seed: number;
    /** Scale of the output layer: larger means more peaked next-token distributions. */
    sharpen: number;
    vocabulary?: VocabularyOptions;
    type?: "f32" | "f16";
}

export const SMALL_SHAPE: LlamaShape = { embd: 32, layers: 1, heads: 2, headsKv: 2, ffn: 64, contextLength: 1024 };
export const LARGE_SHAPE: LlamaShape = { embd: 64, layers: 3, heads: 4, headsKv: 2, ffn: 160, contextLength: 1024 };

export function writeFixture(path: string, spec: FixtureSpec): void {
    writeLlamaGguf(path, fixtureModel(spec));
}

/** The fixture's model (metadata inputs and seeded weights), before it is written. */
export function fixtureModel(spec: FixtureSpec): LlamaModelFile {
    const vocab = byteVocabulary(spec.vocabulary);
    const n = vocab.tokens.length;
    const normal = gaussian(mulberry32(spec.seed));
    const tensors: Record<string, Float32Array> = {};
    for (const [name, shape] of llamaTensorShapes(spec.shape, n)) {
        const size = shape.reduce((a, b) => a * b, 1);
        const data = new Float32Array(size);
        if (shape.length === 1) {
            data.fill(1); // RMSNorm gains
        } else {
            const fanIn = shape[1];
            const scale = name === "output.weight" ? spec.sharpen / Math.sqrt(fanIn) : name === "token_embd.weight" ? 1 : 1 / Math.sqrt(fanIn);
            for (let i = 0; i < size; i++) data[i] = normal() * scale;
        }
        if (name === "output.weight") {
            // Uneven token strengths: some positions get one dominant token, others a flat spread.
            const rows = shape[0];
            const cols = shape[1];
            for (let r = 0; r < rows; r++) {
                const g = 0.25 + 1.5 * ((r * 2654435761) % 997) / 997;
                for (let c = 0; c < cols; c++) data[r * cols + c] *= g;
            }
        }
        tensors[name] = data;
    }
    return { name: spec.name, shape: spec.shape, tensors, vocabulary: vocab, type: spec.type };
}

export interface FixtureSet {
    dir: string;
    slm: string;
    llm: string;
    /** Same shapes as `slm`, but its special tokens are spelled differently. */
    otherTokenizer: string;
    /** A vocabulary of 151,936 entries, like real Qwen models. */
    largeVocabSlm: string;
    largeVocabLlm: string;
}

const SPECS = {
    slm: { name: "fixture-slm", shape: SMALL_SHAPE, seed: 11, sharpen: 6 },
    llm: { name: "fixture-llm", shape: LARGE_SHAPE, seed: 23, sharpen: 6 },
    otherTokenizer: {
        name: "fixture-other", shape: SMALL_SHAPE, seed: 11, sharpen: 6,
        vocabulary: { specialTokens: ["<s>", "</s>", "<|im_start|>", "<|im_end|>"] },
    },
    largeVocabSlm: { name: "fixture-151k-slm", shape: SMALL_SHAPE, seed: 31, sharpen: 8, vocabulary: { size: 151_936 }, type: "f16" },
    largeVocabLlm: { name: "fixture-151k-llm", shape: LARGE_SHAPE, seed: 37, sharpen: 8, vocabulary: { size: 151_936 }, type: "f16" },
} satisfies Record<string, FixtureSpec>;

/** Writes (once per checkout and spec) the fixture models into the test cache of `repo`. */
export function fixtures(repo?: string): FixtureSet {
    const dir = testCacheDir("fixtures-v1", repo);
    mkdirSync(dir, { recursive: true });
    const out: Record<string, string> = { dir };
    for (const [key, spec] of Object.entries(SPECS)) {
        const path = join(dir, `${spec.name}.gguf`);
        if (!existsSync(path)) writeFixture(path, spec as FixtureSpec);
        out[key] = path;
    }
    return out as unknown as FixtureSet;
}
