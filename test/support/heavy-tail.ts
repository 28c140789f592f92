/**
 * Heavy-tailed fixture models at a real vocabulary size (151,936 entries), written by the project's own
 * GGUF writer. Their next-token distributions are built, not trained:
 *
 *   logit(t) = content(t)                                   for the 260 byte and special tokens,
 *   logit(t) = y · level − z · zipf · ln rank(t) + noise(t)  for the 151,676 filler tokens,
 *
 * where content(t) is a random projection of the rest of the hidden state (one sharp winner per
 * position), rank(t) a fixed random permutation of the fillers, and z, y the hidden state's first two
 * coordinates, which the input token's embedding sets (the blocks are weak, so the input token decides
 * most of the distribution). Every position carries a power-law tail p ∝ rank^(−z·zipf) of weight ~ y.
 *
 * The pair the tests use (HEAVY_TAIL_SPECS): half of the tokens have y ≈ 0 (a sharp head, a negligible
 * tail), the other half y ∈ [3.6, 4.2] with a flat tail (exponent z · 0.15 ≈ 0.15–0.6, so most of the
 * tail's mass lies beyond rank 256) carrying roughly 10–35% of the mass beside the same sharp content
 * head. After those tokens the top 40 entries hold under 90% of the mass: about a third of all positions
 * (tools/entropy-fidelity.ts prints the share per model) — the case where a top-k estimate loses the
 * tail and reads the entropy far too low.
 */
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { testCacheDir } from "./test-cache.ts";
import { join } from "node:path";
import { BYTE_VOCAB_SIZE, byteVocabulary } from "../../tools/gguf/byte-vocab.ts";
import { llamaTensorShapes, writeLlamaGguf, type LlamaShape } from "../../tools/gguf/llama.ts";
import { LARGE_SHAPE, SMALL_SHAPE } from "./fixtures.ts";
import { gaussian, mulberry32 } from "./random.ts";

export const HEAVY_TAIL_VOCAB = 151_936;

export interface HeavyTailSpec {
    name: string;
    shape: LlamaShape;
    seed: number;
    /** Scale of the byte tokens' output rows (how sharp the content head is). */
    sharpen: number;
    /** Tail level per unit of y (higher: more mass in the tail). */
    level: number;
    /** Power-law exponent per unit of z (higher: a steeper, thinner tail). */
    zipf: number;
    /** Per-token noise on the tail logits, per unit of hidden state. */
    noise: number;
    /** Ranges of the input embeddings' tail-weight coordinate y, one picked at random per token (default 1–4). */
    y?: [number, number][];
    /** Range of the input embeddings' steepness coordinate z (default 1–4). */
    z?: [number, number];
}

export function writeHeavyTailFixture(path: string, spec: HeavyTailSpec): void {
    const vocab = byteVocabulary({ size: HEAVY_TAIL_VOCAB });
    const n = vocab.tokens.length;
    const rand = mulberry32(spec.seed);
    const normal = gaussian(rand);
    const d = spec.shape.embd;
    // A fixed random order of the filler tokens: rank 1 is the most likely filler everywhere.
    const rank = new Uint32Array(n);
    const order = Array.from({ length: n - BYTE_VOCAB_SIZE }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
    }
    order.forEach((r, i) => (rank[BYTE_VOCAB_SIZE + i] = r + 1));

    const tensors: Record<string, Float32Array> = {};
    for (const [name, shape] of llamaTensorShapes(spec.shape, n)) {
        const size = shape.reduce((a, b) => a * b, 1);
        const data = new Float32Array(size);
        if (shape.length === 1) {
            data.fill(1);
        } else if (name === "token_embd.weight") {
            // Coordinates 0 and 1 carry z and y; the rest the content.
            const [zLo, zHi] = spec.z ?? [1, 4];
            const yRanges = spec.y ?? [[1, 4]];
            for (let t = 0; t < n; t++) {
                data[t * d] = zLo + (zHi - zLo) * rand();
                const [yLo, yHi] = yRanges[Math.floor(rand() * yRanges.length)];
                data[t * d + 1] = yLo + (yHi - yLo) * rand();
                for (let c = 2; c < d; c++) data[t * d + c] = normal() * 0.5;
            }
        } else if (name === "output.weight") {
            for (let t = 0; t < n; t++) {
                const row = t * d;
                if (t < BYTE_VOCAB_SIZE) {
                    for (let c = 2; c < d; c++) data[row + c] = (normal() * spec.sharpen) / Math.sqrt(d);
                } else {
                    data[row] = -spec.zipf * Math.log(rank[t]);
                    data[row + 1] = spec.level;
                    for (let c = 2; c < d; c++) data[row + c] = (normal() * spec.noise) / Math.sqrt(d);
                }
            }
        } else {
            // Weak blocks: the position's distribution is mostly set by its input token, a little by context.
            const scale = 0.3 / Math.sqrt(shape[1]);
            for (let i = 0; i < size; i++) data[i] = normal() * scale;
        }
        tensors[name] = data;
    }
    writeLlamaGguf(path, { name: spec.name, shape: spec.shape, tensors, vocabulary: vocab, type: "f16" });
}

const LONG_TAIL = { zipf: 0.15, noise: 0.6, y: [[0, 0.3], [3.6, 4.2]] as [number, number][] };

// The LLM's wider hidden state (64 vs 32) makes its content logits larger after the norm: a softer
// head scale keeps its tail mass in the same band as the SLM's.
export const HEAVY_TAIL_SPECS = {
    slm: { name: "long-tail-151k-slm", shape: SMALL_SHAPE, seed: 41, sharpen: 12, level: 2, ...LONG_TAIL },
    llm: { name: "long-tail-151k-llm", shape: LARGE_SHAPE, seed: 43, sharpen: 9.6, level: 2, ...LONG_TAIL },
} satisfies Record<string, HeavyTailSpec>;

/** Writes (once per checkout and spec) the heavy-tailed pair into the test cache. */
export function heavyTailFixtures(): { slm: string; llm: string } {
    const dir = testCacheDir("heavy-tail-v2");
    mkdirSync(dir, { recursive: true });
    const out: Record<string, string> = {};
    for (const [key, spec] of Object.entries(HEAVY_TAIL_SPECS)) {
        const path = join(dir, `${spec.name}.gguf`);
        if (!existsSync(path)) {
            // Written aside and renamed, so an interrupted write is never taken for a cached fixture.
            const part = `${path}.${process.pid}.part`;
            writeHeavyTailFixture(part, spec);
            renameSync(part, path);
        }
        out[key] = path;
    }
    return out as { slm: string; llm: string };
}
