/**
 * Writes the "slow pair" phase B uses to watch an answer stream and to press Stop in the middle of it:
 * the demo pair answers in well under a second, too fast for anyone to stop. These are random-weight
 * llama models (the project's own GGUF writer), big enough to take milliseconds per token, that never
 * end on their own (end-of-turn tokens can never win a greedy step) and only write printable ASCII.
 *
 *   node --import tsx test/e2e/make-slow-pair.ts <dir>   → <dir>/slow-slm.gguf, <dir>/slow-llm.gguf
 */
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import { byteVocabulary } from "../../tools/gguf/byte-vocab.ts";
import { llamaTensorShapes, writeLlamaGguf, type LlamaShape } from "../../tools/gguf/llama.ts";
import { gaussian, mulberry32 } from "../support/random.ts";

const SLOW_CONTEXT = 8192; // phase-b.mjs sets rstitch.contextSize to the same
const SHAPES: Record<"slm" | "llm", LlamaShape> = {
    slm: { embd: 384, layers: 4, heads: 6, headsKv: 3, ffn: 1024, contextLength: SLOW_CONTEXT },
    llm: { embd: 512, layers: 8, heads: 8, headsKv: 4, ffn: 1536, contextLength: SLOW_CONTEXT },
};

/** Tokens the output layer may pick: printable ASCII bytes and the space. */
const writable = (id: number): boolean => id >= 0x20 && id <= 0x7e;

function writeSlowModel(path: string, which: "slm" | "llm", seed: number): void {
    const shape = SHAPES[which];
    const vocab = byteVocabulary();
    const normal = gaussian(mulberry32(seed));
    const tensors: Record<string, Float32Array> = {};
    for (const [name, dims] of llamaTensorShapes(shape, vocab.tokens.length)) {
        const size = dims.reduce((a, b) => a * b, 1);
        const data = new Float32Array(size);
        if (dims.length === 1) {
            data.fill(1);
        } else if (name === "output.weight") {
            // Rows of tokens that must never be written stay zero: their logit is 0 while the best of
            // ~95 random rows is well above it. Uneven row gains spread the entropy over [0, 1].
            const [rows, cols] = dims;
            for (let r = 0; r < rows; r++) {
                if (!writable(r)) continue;
                const gain = (6 * (0.25 + (1.5 * ((r * 2654435761) % 997)) / 997)) / Math.sqrt(cols);
                for (let c = 0; c < cols; c++) data[r * cols + c] = normal() * gain;
            }
        } else {
            const scale = name === "token_embd.weight" ? 1 : 1 / Math.sqrt(dims[1]);
            for (let i = 0; i < size; i++) data[i] = normal() * scale;
        }
        tensors[name] = data;
    }
    // Write then rename, so an interrupted run never leaves a half file that looks finished.
    writeLlamaGguf(`${path}.partial`, { name: `slow-${which}`, shape, tensors, vocabulary: vocab, type: "f16" });
    renameSync(`${path}.partial`, path);
}

const dir = process.argv[2];
if (!dir) {
    console.error("usage: make-slow-pair.ts <dir>");
    process.exit(2);
}
mkdirSync(dir, { recursive: true });
for (const [which, seed] of [["slm", 101], ["llm", 202]] as const) {
    const path = join(dir, `slow-${which}.gguf`);
    if (!existsSync(path)) writeSlowModel(path, which, seed);
}
console.log(`slow pair in ${dir}`);
