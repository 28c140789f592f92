/**
 * "Scripted" llama models for any vocabulary: constructed (not random) weights that make greedy
 * decoding follow a chosen token sequence, so a test can make a real BPE model emit exactly the
 * tokens it needs (a stop trigger split across tokens, a character split between models).
 *
 * How: attention and feed-forward outputs are zero, so the last hidden state is the embedding of
 * the current token. Every token that has a chosen successor gets a unit direction shared by all
 * tokens with that successor; the successor's output row points along it, scaled so its logit
 * dominates (H ≈ 0). A token marked unsure gets a direction no output row reads: its next-token
 * distribution is uniform (H = 1). Every other token leads to `otherwise` (the end-of-generation
 * token). The model is a bigram table, so each token may have only one successor.
 */
import { llamaTensorShapes, writeLlamaGguf, type LlamaShape } from "../../tools/gguf/llama.ts";
import type { Vocabulary } from "../../tools/gguf/byte-vocab.ts";

export interface Script {
    /** Token sequence to follow: sequence[i] is followed by sequence[i + 1]. */
    sequence: readonly number[];
    /** After these tokens the model is unsure (uniform next-token distribution). */
    unsureAfter?: readonly number[];
    /** Successor of every token not in the sequence, and of its last token. */
    otherwise: number;
}

export const SCRIPTED_SHAPE: LlamaShape = { embd: 32, layers: 1, heads: 2, headsKv: 2, ffn: 32, contextLength: 1024 };

/** Logit scale of a chosen successor (times √embd after RMSNorm): the rest of the vocabulary gets ~e^-45 each. */
const STRENGTH = 8;

export function writeScriptedModel(path: string, spec: { name: string; vocabulary: Vocabulary; script: Script; chatTemplate?: string | null }): void {
    const { vocabulary, script } = spec;
    const n = vocabulary.tokens.length;
    const d = SCRIPTED_SHAPE.embd;
    const successor = new Map<number, number>();
    for (let i = 0; i + 1 < script.sequence.length; i++) {
        const [from, to] = [script.sequence[i], script.sequence[i + 1]];
        const known = successor.get(from);
        if (known !== undefined && known !== to) throw new Error(`token ${from} is followed by both ${known} and ${to}; a scripted model is a bigram table`);
        successor.set(from, to);
    }
    const unsure = new Set(script.unsureAfter ?? []);
    // Direction 0: "otherwise"; 1: unsure (read by no output row); 2…: one per distinct successor.
    const directionOf = new Map<number, number>([[script.otherwise, 0]]);
    for (const to of successor.values()) if (!directionOf.has(to)) directionOf.set(to, directionOf.size + 1);
    if (directionOf.size + 1 > d) throw new Error(`script needs ${directionOf.size + 1} directions, the model has ${d}`);

    const tensors: Record<string, Float32Array> = {};
    for (const [name, shape] of llamaTensorShapes(SCRIPTED_SHAPE, n)) {
        const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
        if (shape.length === 1) data.fill(1);
        tensors[name] = data;
    }
    const embd = tensors["token_embd.weight"];
    for (let t = 0; t < n; t++) {
        const to = successor.get(t);
        const direction = unsure.has(t) ? 1 : to === undefined ? 0 : directionOf.get(to)!;
        embd[t * d + direction] = 1;
    }
    const output = tensors["output.weight"];
    for (const [token, direction] of directionOf) output[token * d + direction] = STRENGTH;
    // q, k, v, attn_output, ffn weights stay zero: each block adds nothing to the residual stream.
    writeLlamaGguf(path, { name: spec.name, shape: SCRIPTED_SHAPE, tensors, vocabulary, type: "f16", chatTemplate: spec.chatTemplate });
}
