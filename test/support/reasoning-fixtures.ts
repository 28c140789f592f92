/**
 * GGUF fixtures with a real BPE tokenizer (Qwen3's, see qwen3-tokenizer.ts) and a reasoning chat
 * template with think tags, with scripted weights (scripted-model.ts) so that each decode emits
 * exactly the tokens a test needs. Written once per process into a temporary folder (~25 MB each).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { testCacheDir } from "./test-cache.ts";
import { join } from "node:path";
import type { Vocabulary } from "../../tools/gguf/byte-vocab.ts";
import { QWEN2_5_LARGE_PADDED_SIZE, QWEN3_PADDED_SIZE, QWEN3_TEMPLATE, qwen3Vocabulary, tokenId, type Qwen3VocabularyOptions } from "./qwen3-tokenizer.ts";
import { writeScriptedModel } from "./scripted-model.ts";

/** A token given by its text, or by raw bytes (a part of a UTF-8 character). */
type Piece = string | readonly number[];

/** Every transcript starts after the prompt's last token, the "\n" that ends "<|im_start|>assistant\n". */
export const SCRIPTS = {
    /** 0xC3 0xA9 is "é" in two byte tokens: the SLM is unsure after the first, so the LLM writes the second. */
    reasoning: ["\n", "<think>", "The", " caf", [0xc3], [0xa9], " bill", " adds", " up", ".", "</think>", "\n\n", "Answer", ":", " ", "4", "2"] as Piece[],
    /** The stop trigger <|im_end|> begins inside " <|" and spans five tokens. */
    imEnd: ["\n", "Sure", "!", " <|", "im", "_end", "|", ">", " more"] as Piece[],
    /** GeneralChatWrapper's trigger "\n\n### Human" begins inside ".\n\n". */
    human: ["\n", "Done", ".\n\n", "###", " Human", ":"] as Piece[],
};

export interface ReasoningFixtures {
    dir: string;
    /** Reasoning pair: SLM padded to 151,936 entries, LLM to 152,064 (same tokenizer, different padding). */
    reasoningSlm: string;
    reasoningLlm: string;
    imEnd: string;
    /** No chat template (node-llama-cpp falls back to its GeneralChatWrapper). */
    humanBase: string;
    /** Same tokenizer as `imEnd` except the end-of-generation token (<|endoftext|>, as base models have). */
    otherEos: string;
    /** Same tokenizer as `imEnd` except that <think> is spelled <thinking>. */
    otherThink: string;
}

const THINK_ID = 151_667;
const ENDOFTEXT_ID = 151_643;

interface Spec {
    script: Piece[];
    unsureAfter?: Piece[];
    vocabulary?: Qwen3VocabularyOptions;
    template?: string | null;
}

const SPECS: Record<Exclude<keyof ReasoningFixtures, "dir">, Spec> = {
    reasoningSlm: { script: SCRIPTS.reasoning, unsureAfter: [[0xc3]] },
    reasoningLlm: { script: SCRIPTS.reasoning, vocabulary: { size: QWEN2_5_LARGE_PADDED_SIZE } },
    imEnd: { script: SCRIPTS.imEnd },
    humanBase: { script: SCRIPTS.human, template: null },
    otherEos: { script: SCRIPTS.imEnd, vocabulary: { special: { eos: ENDOFTEXT_ID } } },
    otherThink: { script: SCRIPTS.imEnd, vocabulary: { respell: { [THINK_ID]: "<thinking>" } } },
};

export function pieceIds(vocabulary: Vocabulary, pieces: readonly Piece[]): number[] {
    return pieces.map((p) => tokenId(vocabulary, p));
}

let written: ReasoningFixtures | undefined;

export function reasoningFixtures(): ReasoningFixtures {
    if (written) return written;
    // The folder name follows the specs and the writers' sources, so a changed script never reuses stale files.
    const version = createHash("sha256").update(JSON.stringify(SPECS) + QWEN3_TEMPLATE + readFileSync(new URL("./scripted-model.ts", import.meta.url))).digest("hex").slice(0, 12);
    const dir = testCacheDir(`qwen3-${version}`);
    mkdirSync(dir, { recursive: true });
    const out: Record<string, string> = { dir };
    const vocabularies = new Map<string, Vocabulary>();
    for (const [key, spec] of Object.entries(SPECS)) {
        const path = join(dir, `${key}.gguf`);
        out[key] = path;
        if (existsSync(path)) continue;
        const vocabKey = JSON.stringify(spec.vocabulary ?? {});
        let vocabulary = vocabularies.get(vocabKey);
        if (!vocabulary) vocabularies.set(vocabKey, (vocabulary = qwen3Vocabulary({ size: QWEN3_PADDED_SIZE, ...spec.vocabulary })));
        // Write then rename, so that an interrupted run never leaves a half-written fixture behind.
        const partial = `${path}.${process.pid}.partial`;
        writeScriptedModel(partial, {
            name: `qwen3-tokenizer-${key}`,
            vocabulary,
            script: {
                sequence: pieceIds(vocabulary, spec.script),
                unsureAfter: pieceIds(vocabulary, spec.unsureAfter ?? []),
                otherwise: vocabulary.special!.eos,
            },
            chatTemplate: spec.template === undefined ? QWEN3_TEMPLATE : spec.template,
        });
        renameSync(partial, path);
    }
    written = out as unknown as ReasoningFixtures;
    return written;
}
