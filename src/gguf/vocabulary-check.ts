/**
 * The vocabulary arrays must agree with each other and have the types llama.cpp reads; a damaged
 * vocabulary is a damaged file, not a tokenizer that differs from the other model's.
 */
import { quoteShort } from "./quote.ts";
import { GgufDamage } from "./reader.ts";
import type { ArrayValue, GgufReport, MetaEntry } from "./report.ts";

const MAX_TOKEN_TYPE = 6; // llama.cpp's LLAMA_TOKEN_TYPE_BYTE

function damaged(message: string): GgufDamage {
    return new GgufDamage(`its vocabulary is damaged: ${message}`, "vocabulary");
}

function asArray(entry: MetaEntry | undefined, key: string, of: readonly string[]): ArrayValue | undefined {
    if (entry === undefined) return undefined;
    if (typeof entry !== "object" || !("array" in entry)) throw damaged(`${key} is a single ${typeof entry} value, not an array`);
    if (!of.includes(entry.of)) throw damaged(`${key} is an array of ${entry.of}, not of ${of.join(" or ")}`);
    return entry;
}

export function checkVocabulary(report: GgufReport): void {
    const m = report.metadata;
    const tokens = asArray(m.get("tokenizer.ggml.tokens"), "tokenizer.ggml.tokens", ["string"]);
    if (!tokens || tokens.length === 0) throw damaged("tokenizer.ggml.tokens is missing or empty");
    const n = tokens.length;
    const seen = new Map<string, number>();
    tokens.values!.forEach((t, i) => {
        const first = seen.get(t as string);
        if (first !== undefined) throw damaged(`token ${i} ${quoteShort(t as string)} repeats token ${first}`);
        seen.set(t as string, i);
    });

    for (const [key, of] of [["tokenizer.ggml.token_type", ["i32"]], ["tokenizer.ggml.scores", ["f32", "i32"]]] as const) {
        const a = asArray(m.get(key), key, of);
        if (a && a.length !== n) throw damaged(`${key} has ${a.length} entries for ${n} tokens`);
        if (a && key === "tokenizer.ggml.token_type") {
            const bad = a.values!.findIndex((v) => typeof v !== "number" || v < 0 || v > MAX_TOKEN_TYPE);
            if (bad >= 0) throw damaged(`token ${bad} has type ${String(a.values![bad])} (0 to ${MAX_TOKEN_TYPE} allowed)`);
        }
    }
    const merges = asArray(m.get("tokenizer.ggml.merges"), "tokenizer.ggml.merges", ["string"]);
    if (merges) {
        const bad = merges.values!.findIndex((v) => (v as string).indexOf(" ", 1) < 0);
        if (bad >= 0) throw damaged(`merge ${bad} ${quoteShort(merges.values![bad] as string)} is not two tokens separated by a space`);
    }
    // The ids decoding depends on; llama.cpp only warns about others out of range, so they pass.
    for (const key of ["bos", "eos", "eot"]) {
        const id = m.get(`tokenizer.ggml.${key}_token_id`);
        if (id === undefined) continue;
        if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id >= n) {
            throw damaged(`tokenizer.ggml.${key}_token_id is ${typeof id === "object" ? "an array" : String(id)}, outside the ${n} tokens`);
        }
    }
    const model = m.get("tokenizer.ggml.model");
    if (typeof model !== "string") throw damaged("tokenizer.ggml.model (the tokenizer's kind) is missing");
}
