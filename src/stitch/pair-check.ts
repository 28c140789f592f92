/**
 * Can these two GGUF files stitch? Readable, valid GGUF (src/gguf/validate.ts), one tokenizer for
 * both — from the headers alone: no weights are loaded, so it is quick even for multi-gigabyte files.
 * `loadPair` runs exactly these checks before llama.cpp sees either file; `rstitch models check` and
 * the editor's download run them on their own.
 */
import { access, constants, stat } from "node:fs/promises";
import { readModelHeader, type ModelHeader } from "./model-file.ts";
import { PairLoadError } from "./pair-error.ts";
import { tokenizerDifference } from "./tokenizer-check.ts";

export interface PairCheck {
    slm: ModelHeader & { vocabularySize: number };
    llm: ModelHeader & { vocabularySize: number };
}

async function checkReadable(path: string, role: string): Promise<void> {
    try {
        await access(path, constants.R_OK);
    } catch {
        throw new PairLoadError("missing-file", `The ${role} model file was not found or cannot be read: ${path}. Check the path, or choose another GGUF file.`, path);
    }
    if ((await stat(path)).isDirectory()) {
        throw new PairLoadError("bad-file", `The ${role} model path ${path} is a folder, not a model file; choose the .gguf file inside it.`, path);
    }
}

/** One model file: readable, a valid GGUF with a usable vocabulary (the remote-LLM pair checks its SLM so). */
export async function checkModelFile(path: string, role: string): Promise<ModelHeader & { vocabularySize: number }> {
    await checkReadable(path, role);
    const header = readModelHeader(path, role);
    return { ...header, vocabularySize: header.tokenizer.tokens?.length ?? 0 };
}

/** Resolves when the pair can stitch; throws PairLoadError (missing-file, bad-file, tokenizer-mismatch) when not. */
export async function checkPairFiles(slmPath: string, llmPath: string): Promise<PairCheck> {
    const slm = await checkModelFile(slmPath, "small (SLM)");
    const llm = await checkModelFile(llmPath, "large (LLM)");
    const difference = tokenizerDifference(slm.tokenizer, llm.tokenizer);
    if (difference) {
        throw new PairLoadError("tokenizer-mismatch", `These two models do not share a tokenizer, so they cannot write one output together (small model ${slmPath}, large model ${llmPath}): ${difference}. Choose an SLM and an LLM of the same model family.`);
    }
    return { slm, llm };
}
