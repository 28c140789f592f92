/**
 * Can these two GGUF files stitch? The same checks as loading a pair (readable, GGUF with a tokenizer,
 * one tokenizer for both), from the metadata alone: no weights are loaded, so it is quick even for
 * multi-gigabyte files.
 */
import { checkReadable, PairLoadError, readTokenizer } from "./pair.ts";
import { nodeLlamaCpp } from "./runtime.ts";
import { tokenizerDifference } from "./tokenizer-check.ts";

export interface PairCheck {
    slm: { name: string; vocabularySize: number };
    llm: { name: string; vocabularySize: number };
}

/** Resolves when the pair can stitch; throws PairLoadError (missing-file, bad-file, tokenizer-mismatch) when not. */
export async function checkPairFiles(slmPath: string, llmPath: string): Promise<PairCheck> {
    await checkReadable(slmPath, "small (SLM)");
    await checkReadable(llmPath, "large (LLM)");
    const lib = await nodeLlamaCpp();
    const slm = await readTokenizer(lib, slmPath, "small (SLM)");
    const llm = await readTokenizer(lib, llmPath, "large (LLM)");
    const difference = tokenizerDifference(slm.tokenizer, llm.tokenizer);
    if (difference) {
        throw new PairLoadError("tokenizer-mismatch", `These two models do not share a tokenizer, so they cannot write one output together: ${difference}. Choose an SLM and an LLM of the same model family.`);
    }
    return {
        slm: { name: slm.name, vocabularySize: slm.tokenizer.tokens?.length ?? 0 },
        llm: { name: llm.name, vocabularySize: llm.tokenizer.tokens?.length ?? 0 },
    };
}
