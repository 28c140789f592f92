/**
 * Two models can share one output token stream only if they share a tokenizer. Compares the GGUF
 * tokenizer metadata of both and names the first difference it finds.
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

/** Returns null when the tokenizers agree, else a sentence naming the difference. */
export function tokenizerDifference(slm: TokenizerInfo, llm: TokenizerInfo): string | null {
    if (slm.model !== llm.model) return `tokenizer model differs: SLM ${quoteShort(String(slm.model))}, LLM ${quoteShort(String(llm.model))}`;
    if ((slm.pre ?? "") !== (llm.pre ?? "")) return `pre-tokenizer differs: SLM ${quoteShort(String(slm.pre))}, LLM ${quoteShort(String(llm.pre))}`;
    const a = slm.tokens ?? [];
    const b = llm.tokens ?? [];
    if (a.length !== b.length) return `vocabulary size differs: SLM ${a.length} tokens, LLM ${b.length} tokens`;
    for (let i = 0; i < a.length; i++) {
        if (a[i] !== b[i]) return `token ${i} differs: SLM ${quoteShort(String(a[i]))}, LLM ${quoteShort(String(b[i]))}`;
    }
    const ta = slm.token_type ?? [];
    const tb = llm.token_type ?? [];
    for (let i = 0; i < Math.max(ta.length, tb.length); i++) {
        if (ta[i] !== tb[i]) return `type of token ${i} ${quoteShort(String(a[i]))} differs: SLM ${ta[i]}, LLM ${tb[i]}`;
    }
    for (const key of ["bos_token_id", "eos_token_id", "eot_token_id"] as const) {
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
