/**
 * A model file as the pair loader sees it before llama.cpp does: validated (src/gguf/validate.ts),
 * its tokenizer and name read, every problem turned into a message that names the role and the file,
 * says what is wrong and what to do.
 */
import { GgufDamage, validateGguf, type GgufReport, type Scalar } from "../gguf/validate.ts";
import { escapeShort } from "../gguf/quote.ts";
import { PairLoadError } from "./pair-error.ts";
import type { TokenizerInfo } from "./tokenizer-check.ts";

export interface ModelHeader {
    tokenizer: TokenizerInfo;
    name: string;
}

const REMEDY: Record<GgufDamage["kind"], string> = {
    "not-gguf": "Choose a .gguf model file (llama.cpp's format).",
    version: "Download a current GGUF of this model, or convert it again with a recent llama.cpp.",
    damaged: "Download the file again (a partial or damaged download is the usual cause) or choose another GGUF file.",
    vocabulary: "Download the file again or choose another GGUF file; its vocabulary cannot be used as it is.",
};

function message(role: string, path: string, e: GgufDamage): string {
    const what = e.kind === "not-gguf" ? "is not a usable GGUF file" : e.kind === "version" ? "cannot be read" : "is damaged";
    return `The ${role} model file ${path} ${what}: ${e.message}. ${REMEDY[e.kind]}`;
}

function values(report: GgufReport, key: string): Scalar[] | undefined {
    const v = report.metadata.get(key);
    return typeof v === "object" && v !== null && "array" in v ? v.values : undefined;
}

function scalar<T extends Scalar>(report: GgufReport, key: string, type: string): T | undefined {
    const v = report.metadata.get(key);
    return typeof v === type ? (v as T) : undefined;
}

export function readModelHeader(path: string, role: string): ModelHeader {
    let report: GgufReport;
    try {
        report = validateGguf(path);
    } catch (e) {
        if (e instanceof GgufDamage) throw new PairLoadError("bad-file", message(role, path, e), path);
        const code = (e as NodeJS.ErrnoException).code;
        throw new PairLoadError("missing-file", `The ${role} model file ${path} cannot be read${code ? ` (${code})` : ""}. Check that it exists and that you may read it.`, path);
    }
    const tokenizer: TokenizerInfo = {
        model: scalar(report, "tokenizer.ggml.model", "string"),
        pre: scalar(report, "tokenizer.ggml.pre", "string"),
        tokens: values(report, "tokenizer.ggml.tokens") as string[],
        token_type: values(report, "tokenizer.ggml.token_type") as number[] | undefined,
        merges: values(report, "tokenizer.ggml.merges") as string[] | undefined,
        bos_token_id: scalar(report, "tokenizer.ggml.bos_token_id", "number"),
        eos_token_id: scalar(report, "tokenizer.ggml.eos_token_id", "number"),
        eot_token_id: scalar(report, "tokenizer.ggml.eot_token_id", "number"),
    };
    const name = scalar<string>(report, "general.name", "string") ?? path.split(/[\\/]/).pop() ?? path;
    return { tokenizer, name };
}

/**
 * The reason llama.cpp gave for refusing a model: its last error lines (it logs them before
 * node-llama-cpp throws a generic "Failed to load model"), shortened and escaped.
 */
export function loadFailureReason(logLines: readonly string[], fallback: string): string {
    // node-llama-cpp's own note that its memory estimate fell back says nothing about the file, and
    // would push llama.cpp's reason out of the last two lines.
    const told = logLines.filter((l) => !/Failed simulating model resource usage|Falling back to estimation heuristic/i.test(l));
    const errors = told.filter((l) => /error|fail|invalid|not within|expected|missing|unknown|unsupported/i.test(l));
    const picked = (errors.length ? errors : told).slice(-2).map((l) => l.replace(/^[a-z_]+: /, ""));
    if (picked.length === 0) return escapeShort(fallback, 160);
    return picked.map((l) => escapeShort(l, 160)).join("; ");
}
