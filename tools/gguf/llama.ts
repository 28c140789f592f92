/** Writes llama-architecture GGUF models with the byte-level vocabulary and a ChatML template. */
import { BOS_ID, byteVocabulary, CHATML_TEMPLATE, EOS_ID, IM_END_ID, type Vocabulary } from "./byte-vocab.ts";
import { meta, TensorType, writeGguf, type MetaValue, type TensorSpec } from "./writer.ts";

export interface LlamaShape {
    embd: number;
    layers: number;
    heads: number;
    headsKv: number;
    ffn: number;
    contextLength: number;
    ropeBase?: number;
    rmsEps?: number;
}

export interface LlamaModelFile {
    name: string;
    shape: LlamaShape;
    /** By GGUF tensor name, each in PyTorch row-major layout (Linear weights are (out, in)). */
    tensors: Record<string, Float32Array>;
    /** Storage of the 2-D weights; norms are always F32. */
    type?: "f32" | "f16";
    vocabulary?: Vocabulary;
    /** Jinja chat template; ChatML when absent, none at all when null. */
    chatTemplate?: string | null;
}

/** PyTorch shapes of every tensor a llama model of this shape and vocabulary needs. */
export function llamaTensorShapes(shape: LlamaShape, vocab: number): Map<string, number[]> {
    const headDim = shape.embd / shape.heads;
    const kvDim = headDim * shape.headsKv;
    const shapes = new Map<string, number[]>([
        ["token_embd.weight", [vocab, shape.embd]],
        ["output_norm.weight", [shape.embd]],
        ["output.weight", [vocab, shape.embd]],
    ]);
    for (let l = 0; l < shape.layers; l++) {
        const b = `blk.${l}.`;
        shapes.set(b + "attn_norm.weight", [shape.embd]);
        shapes.set(b + "attn_q.weight", [shape.embd, shape.embd]);
        shapes.set(b + "attn_k.weight", [kvDim, shape.embd]);
        shapes.set(b + "attn_v.weight", [kvDim, shape.embd]);
        shapes.set(b + "attn_output.weight", [shape.embd, shape.embd]);
        shapes.set(b + "ffn_norm.weight", [shape.embd]);
        shapes.set(b + "ffn_gate.weight", [shape.ffn, shape.embd]);
        shapes.set(b + "ffn_up.weight", [shape.ffn, shape.embd]);
        shapes.set(b + "ffn_down.weight", [shape.embd, shape.ffn]);
    }
    return shapes;
}

export function countParameters(shape: LlamaShape, vocab: number): number {
    let n = 0;
    for (const s of llamaTensorShapes(shape, vocab).values()) n += s.reduce((a, b) => a * b, 1);
    return n;
}

/** The metadata and tensors of a llama GGUF file, before writing (tests edit them to damage a file). */
export function llamaGgufParts(model: LlamaModelFile): { metadata: Record<string, MetaValue>; tensors: TensorSpec[] } {
    const { shape } = model;
    if (shape.embd % shape.heads !== 0) throw new Error(`embd ${shape.embd} is not a multiple of heads ${shape.heads}`);
    const vocab = model.vocabulary ?? byteVocabulary();
    const n = vocab.tokens.length;
    const f16 = model.type === "f16";
    const special = vocab.special ?? { bos: BOS_ID, eos: EOS_ID, eot: IM_END_ID };

    const metadata: Record<string, MetaValue> = {
        "general.architecture": meta.str("llama"),
        "general.name": meta.str(model.name),
        "general.alignment": meta.u32(32),
        "general.file_type": meta.u32(f16 ? 1 : 0),
        "llama.context_length": meta.u32(shape.contextLength),
        "llama.embedding_length": meta.u32(shape.embd),
        "llama.block_count": meta.u32(shape.layers),
        "llama.feed_forward_length": meta.u32(shape.ffn),
        "llama.attention.head_count": meta.u32(shape.heads),
        "llama.attention.head_count_kv": meta.u32(shape.headsKv),
        "llama.rope.dimension_count": meta.u32(shape.embd / shape.heads),
        "llama.rope.freq_base": meta.f32(shape.ropeBase ?? 10000),
        "llama.attention.layer_norm_rms_epsilon": meta.f32(shape.rmsEps ?? 1e-5),
        "llama.vocab_size": meta.u32(n),
        "tokenizer.ggml.model": meta.str("gpt2"),
        "tokenizer.ggml.pre": meta.str(vocab.pre ?? "default"),
        "tokenizer.ggml.tokens": meta.array("string", vocab.tokens),
        "tokenizer.ggml.token_type": meta.array("i32", vocab.types),
        "tokenizer.ggml.merges": meta.array("string", vocab.merges ?? []),
        "tokenizer.ggml.bos_token_id": meta.u32(special.bos),
        "tokenizer.ggml.eos_token_id": meta.u32(special.eos),
        ...(special.eot === undefined ? {} : { "tokenizer.ggml.eot_token_id": meta.u32(special.eot) }),
        ...(special.padding === undefined ? {} : { "tokenizer.ggml.padding_token_id": meta.u32(special.padding) }),
        "tokenizer.ggml.add_bos_token": meta.bool(false),
        // null: a file without a chat template (a base model).
        ...(model.chatTemplate === null ? {} : { "tokenizer.chat_template": meta.str(model.chatTemplate ?? CHATML_TEMPLATE) }),
    };

    const tensors: TensorSpec[] = [];
    for (const [name, tshape] of llamaTensorShapes(shape, n)) {
        const data = model.tensors[name];
        if (!data) throw new Error(`missing tensor ${name}`);
        tensors.push({ name, shape: tshape, data, type: f16 && tshape.length === 2 ? TensorType.F16 : TensorType.F32 });
    }
    return { metadata, tensors };
}

export function writeLlamaGguf(path: string, model: LlamaModelFile): void {
    const { metadata, tensors } = llamaGgufParts(model);
    writeGguf(path, metadata, tensors);
}
