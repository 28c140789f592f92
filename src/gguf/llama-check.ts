/** The metadata and tensors (with their shapes) a llama-architecture model needs. */
import { quoteShort } from "./quote.ts";
import { GgufDamage } from "./reader.ts";
import type { GgufReport } from "./report.ts";

function count(report: GgufReport, key: string, min: number): number {
    const v = report.metadata.get(key);
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
        throw new GgufDamage(`${key} is ${v === undefined ? "missing" : typeof v === "object" ? "an array" : String(v)}; a llama model needs a whole number of at least ${min}`);
    }
    return v;
}

export function checkLlamaTensors(report: GgufReport): void {
    const embd = count(report, "llama.embedding_length", 1);
    const layers = count(report, "llama.block_count", 1);
    const heads = count(report, "llama.attention.head_count", 1);
    count(report, "llama.context_length", 1);
    const kvHeads = report.metadata.has("llama.attention.head_count_kv") ? count(report, "llama.attention.head_count_kv", 1) : heads;
    const headDim = report.metadata.has("llama.attention.key_length") ? count(report, "llama.attention.key_length", 1) : embd / heads;
    const ffn = count(report, "llama.feed_forward_length", 0);
    // Mixture-of-experts llama models keep their feed-forward weights in other tensors.
    const experts = report.metadata.get("llama.expert_count");
    const dense = experts === undefined || experts === 0;
    const vocab = (report.metadata.get("tokenizer.ggml.tokens") as { length: number }).length;

    // GGUF order: innermost dimension first.
    const want = new Map<string, number[]>([["token_embd.weight", [embd, vocab]], ["output_norm.weight", [embd]]]);
    for (let l = 0; l < layers; l++) {
        const b = `blk.${l}.`;
        want.set(b + "attn_norm.weight", [embd]);
        want.set(b + "attn_q.weight", [embd, headDim * heads]);
        want.set(b + "attn_k.weight", [embd, headDim * kvHeads]);
        want.set(b + "attn_v.weight", [embd, headDim * kvHeads]);
        want.set(b + "attn_output.weight", [headDim * heads, embd]);
        want.set(b + "ffn_norm.weight", [embd]);
        if (!dense) continue;
        want.set(b + "ffn_gate.weight", [embd, ffn]);
        want.set(b + "ffn_up.weight", [embd, ffn]);
        want.set(b + "ffn_down.weight", [ffn, embd]);
    }
    const byName = new Map(report.tensors.map((t) => [t.name, t]));
    const output = byName.get("output.weight");
    if (output) want.set("output.weight", [embd, vocab]);
    for (const [name, dims] of want) {
        const t = byName.get(name);
        if (!t) throw new GgufDamage(`the tensor ${quoteShort(name)}, which a llama model with ${layers} layers needs, is missing`);
        if (t.dims.length !== dims.length || t.dims.some((d, i) => d !== dims[i])) {
            throw new GgufDamage(`tensor ${quoteShort(name)} has shape [${t.dims.join(", ")}], expected [${dims.join(", ")}] from the model's metadata`);
        }
    }
}
