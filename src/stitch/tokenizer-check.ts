/**
 * Two models can share one output token stream only if they share a tokenizer. Compares the GGUF
 * tokenizer metadata of both and names the first difference it finds.
 *
 * What counts as the same tokenizer:
 * - same tokenizer model, pre-tokenizer, BPE merges, and the same text and type for every token id
 *   both vocabularies have — special tokens included, so a different <think> or end token blocks;
 * - the same BOS, EOS and EOT ids (an EOT id that only one file states is not a difference);
 * - the vocabularies may differ in length only by padding: real same-family pairs pad the embedding
 *   matrix differently (Qwen3 0.6B–8B: 151,936 entries; Qwen2.5 / R1-Distill 7B and 14B: 152,064;
 *   both hold the same 151,665–151,669 real tokens). Entries past the shorter vocabulary must be
 *   padding: type UNUSED, or named `[PAD<id>]` as llama.cpp's converter writes them. Nothing the
 *   tokenizer produces lives there, and a trained model does not emit them.
 */
import { quoteShort } from "../gguf/quote.ts";

export interface TokenizerInfo {
    model?: string;
    pre?: string;
    tokens?: readonly string[];
    token_type?: readonly number[];
    merges?: readonly string[];
    bos_token_id?: number;
    eos_token_id?: number;
    eot_token_id?: number;
}

/** llama.cpp's token type of unused (padding) entries. */
const UNUSED = 5;

function isPadding(info: TokenizerInfo, id: number): boolean {
    return info.token_type?.[id] === UNUSED || info.tokens?.[id] === `[PAD${id}]`;
}

/** Returns null when the tokenizers agree, else a sentence naming the difference. */
export function tokenizerDifference(slm: TokenizerInfo, llm: TokenizerInfo): string | null {
    if (slm.model !== llm.model) return `tokenizer model differs: SLM ${quoteShort(String(slm.model))}, LLM ${quoteShort(String(llm.model))}`;
    if ((slm.pre ?? "") !== (llm.pre ?? "")) return `pre-tokenizer differs: SLM ${quoteShort(String(slm.pre))}, LLM ${quoteShort(String(llm.pre))}`;
    const a = slm.tokens ?? [];
    const b = llm.tokens ?? [];
    const shared = Math.min(a.length, b.length);
    const [longer, role] = a.length > b.length ? [slm, "SLM"] : [llm, "LLM"];
    for (let i = shared; i < Math.max(a.length, b.length); i++) {
        if (!isPadding(longer, i)) {
            return `vocabulary size differs: SLM ${a.length} tokens, LLM ${b.length} tokens, and the ${role}'s extra token ${i} ${quoteShort(String(longer.tokens![i]))} is not padding`;
        }
    }
    const ta = slm.token_type ?? [];
    const tb = llm.token_type ?? [];
    for (let i = 0; i < shared; i++) {
        if (a[i] !== b[i]) return `${ta[i] === 1 && tb[i] === 1 ? "token" : "special token"} ${i} differs: SLM ${quoteShort(String(a[i]))}, LLM ${quoteShort(String(b[i]))}`;
        if (ta[i] !== tb[i]) return `type of token ${i} ${quoteShort(String(a[i]))} differs: SLM ${ta[i]}, LLM ${tb[i]}`;
    }
    for (const key of ["bos_token_id", "eos_token_id", "eot_token_id"] as const) {
        // A file without an EOT id gets it from llama.cpp by its text (<|im_end|>, <|eot_id|>…), the same
        // in one vocabulary; converters differ in writing it. A missing BOS or EOS gets a fixed default instead.
        if (key === "eot_token_id" && (slm[key] === undefined || llm[key] === undefined)) continue;
        if (slm[key] !== llm[key]) return `special token ${key} differs: SLM ${slm[key]}, LLM ${llm[key]}`;
    }
    const ma = slm.merges ?? [];
    const mb = llm.merges ?? [];
    if (ma.length !== mb.length) return `BPE merges differ: SLM ${ma.length}, LLM ${mb.length}`;
    for (let i = 0; i < ma.length; i++) {
        if (ma[i] !== mb[i]) return `BPE merge ${i} differs: SLM ${quoteShort(ma[i])}, LLM ${quoteShort(mb[i])}`;
    }
    return null;
}

/** Entries past the shorter vocabulary (padding only, once `tokenizerDifference` returned null). */
export function paddingDifference(slm: TokenizerInfo, llm: TokenizerInfo): number {
    return Math.abs((slm.tokens?.length ?? 0) - (llm.tokens?.length ?? 0));
}
