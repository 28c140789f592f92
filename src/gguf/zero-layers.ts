/**
 * Copies a GGUF model with extra transformer layers whose outputs are zero: each new block is the
 * last block's tensors with every weight zero except the norms (copied). Attention then adds
 * attn_output·(…) = 0 and the feed-forward adds ffn_down·(…) = 0 to the residual stream, so the model
 * computes the same logits at the cost of more layers (dense kernels do not skip zeros). Used by the
 * bench to run a cheap LLM at a real pair's LLM/SLM cost ratio (src/evaluation/cost-variant.ts).
 *
 * The source's metadata is copied byte for byte except `<arch>.block_count`, its tensors byte for
 * byte in whatever type they are stored. A new block's tensors keep the template's type and size:
 * an all-zero block is zero in every ggml type (float zero, or a block scale of zero).
 */
import { closeSync, openSync, readSync } from "node:fs";
import { ByteSink, GGUF_ALIGNMENT, writeGgufFile, type EncodedTensor } from "./write.ts";
import { GgufDamage, validateGguf, type GgufReport } from "./validate.ts";

/** GGUF's value-type tag of a u32. */
const U32_TAG = 4;

/** Norm weights multiply the normalised stream; kept so each new block normalises as the template does. */
const isNorm = (suffix: string) => /(^|_)norm\./.test(suffix);

export interface ZeroLayersResult { layers: number; addedLayers: number; tensors: number }

export function blockCount(report: GgufReport): number {
    const v = report.metadata.get(`${report.architecture}.block_count`);
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new GgufDamage(`${report.architecture}.block_count is missing or not a whole number`);
    return v;
}

export function writeWithZeroLayers(src: string, out: string, extra: number): ZeroLayersResult {
    if (!Number.isInteger(extra) || extra < 0) throw new Error(`extra layers must be a whole number ≥ 0, got ${extra}`);
    const report = validateGguf(src);
    const arch = report.architecture;
    const layers = blockCount(report);
    const countKey = `${arch}.block_count`;
    // Per-layer metadata (an array with one value per block) would need extending too: refuse it.
    for (const [key, v] of report.metadata) {
        if (key.startsWith(`${arch}.`) && typeof v === "object" && v.length === layers) {
            throw new Error(`${key} holds one value per layer; adding layers to such a model is not supported`);
        }
    }
    const alignment = report.metadata.get("general.alignment");
    if (alignment !== undefined && alignment !== GGUF_ALIGNMENT) throw new Error(`general.alignment is ${String(alignment)}; only ${GGUF_ALIGNMENT} is written`);
    const last = `blk.${layers - 1}.`;
    const template = report.tensors.filter((t) => t.name.startsWith(last));
    if (template.length === 0) throw new GgufDamage(`the model has no tensors named ${last}*`);

    const fd = openSync(src, "r");
    try {
        const read = (start: number, length: number): Buffer => {
            const b = Buffer.alloc(length);
            let got = 0;
            while (got < length) {
                const r = readSync(fd, b, got, length - got, start + got);
                if (r === 0) throw new GgufDamage(`the file ends early at byte ${start + got}`);
                got += r;
            }
            return b;
        };
        const entries = [...report.metadataSpans].map(([key, span]) => {
            if (key !== countKey) return { key, value: read(span.start, span.end - span.start) };
            const value = new ByteSink();
            value.u32(U32_TAG);
            value.u32(layers + extra);
            return { key, value: value.bytes() };
        });
        const tensors: EncodedTensor[] = report.tensors.map((t) => ({ name: t.name, dims: t.dims, type: t.type, data: read(report.dataStart + t.offset, t.bytes) }));
        for (let l = layers; l < layers + extra; l++) {
            for (const t of template) {
                const suffix = t.name.slice(last.length);
                const data = isNorm(suffix) ? read(report.dataStart + t.offset, t.bytes) : Buffer.alloc(t.bytes);
                tensors.push({ name: `blk.${l}.${suffix}`, dims: t.dims, type: t.type, data });
            }
        }
        writeGgufFile(out, entries, tensors);
        return { layers: layers + extra, addedLayers: extra, tensors: tensors.length };
    } finally {
        closeSync(fd);
    }
}
