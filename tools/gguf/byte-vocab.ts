/**
 * The byte-level vocabulary shared by the demo pair and the test fixtures: token id = byte value for
 * 0..255 (GPT-2's byte-to-unicode spelling, so llama.cpp's "gpt2" tokenizer round-trips any UTF-8
 * text with no merges), then the ChatML special tokens.
 */

export const SPECIAL_TOKENS = ["<|bos|>", "<|eos|>", "<|im_start|>", "<|im_end|>"] as const;
export const BOS_ID = 256;
export const EOS_ID = 257;
export const IM_START_ID = 258;
export const IM_END_ID = 259;
export const BYTE_VOCAB_SIZE = 256 + SPECIAL_TOKENS.length;

export const CHATML_TEMPLATE =
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** GPT-2's reversible byte -> printable character map. */
export function byteToUnicode(): string[] {
    const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    const out: string[] = [];
    let next = 0;
    for (let b = 0; b < 256; b++) out.push(String.fromCodePoint(printable(b) ? b : 256 + next++));
    return out;
}

export interface Vocabulary {
    tokens: string[];
    /** llama.cpp token types: 1 normal, 3 control, 4 user-defined, 5 unused (padding). */
    types: number[];
    /** BPE merges, "left right" each; none for the byte-level vocabulary. */
    merges?: string[];
    /** llama.cpp's pre-tokenizer name (tokenizer.ggml.pre); "default" when absent. */
    pre?: string;
    /** Special token ids; the byte-level vocabulary's when absent. */
    special?: { bos: number; eos: number; eot?: number; padding?: number };
}

export interface VocabularyOptions {
    /** Total size; entries past the byte and special tokens are filler multi-byte tokens. */
    size?: number;
    /** Spell the special tokens differently (to build a pair whose tokenizers differ). */
    specialTokens?: readonly string[];
}

export function byteVocabulary(options: VocabularyOptions = {}): Vocabulary {
    const chars = byteToUnicode();
    const specials = options.specialTokens ?? SPECIAL_TOKENS;
    const tokens = [...chars, ...specials];
    const types = [...chars.map(() => 1), ...specials.map(() => 3)];
    const size = options.size ?? tokens.length;
    // Filler tokens: unique 3-byte spellings; reachable only by id, never by the (merge-free) tokenizer.
    for (let i = 0; tokens.length < size; i++) {
        tokens.push(chars[(i >> 16) & 0xff] + chars[(i >> 8) & 0xff] + chars[i & 0xff]);
        types.push(1);
    }
    return { tokens, types };
}
