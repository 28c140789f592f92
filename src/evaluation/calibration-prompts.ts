/**
 * The prompts a pair is calibrated on, for `rstitch calibrate` and the editor's Calibrate Models:
 * the user's JSONL file (one {"prompt", "answer"?} per line) or the pair's built-in ones. A bad file
 * is refused in one line (PromptFileError), never a stack trace.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

export interface PromptLine {
    prompt: string;
    answer?: string;
}

export class PromptFileError extends Error {}

/** How many built-in prompts a calibration runs on unless told otherwise. */
export const BUILT_IN_PROMPTS = 200;

/** JSONL text, one {"prompt": "...", "answer"?: "..."} per line; `name` is how messages call the file. */
export function parsePromptFile(text: string, name: string): PromptLine[] {
    const out: PromptLine[] = [];
    text.split(/\r?\n/).forEach((line, i) => {
        if (!line.trim()) return;
        let row: unknown;
        try {
            row = JSON.parse(line);
        } catch {
            throw new PromptFileError(`${name} line ${i + 1} is not JSON; each line must be {"prompt": "..."} (an "answer" is optional).`);
        }
        const r = row as Record<string, unknown> | null;
        if (typeof r !== "object" || r === null || typeof r.prompt !== "string" || !r.prompt.trim()) {
            throw new PromptFileError(`${name} line ${i + 1} needs a string "prompt" (an "answer" is optional).`);
        }
        out.push({ prompt: r.prompt, ...(typeof r.answer === "string" || typeof r.answer === "number" ? { answer: String(r.answer) } : {}) });
    });
    if (out.length === 0) throw new PromptFileError(`${name} holds no prompts.`);
    return out;
}

/** Reads and parses a prompts file; a missing file or a folder is refused like a bad line. */
export function readPromptFile(path: string): PromptLine[] {
    if (!existsSync(path) || !statSync(path).isFile()) throw new PromptFileError(`${path}: no such file.`);
    return parsePromptFile(readFileSync(path, "utf8"), path);
}

/**
 * The built-in prompts of a pair whose SLM is one of the project's `NAME-slm.gguf` in `root`/models
 * (their kind: the arithmetic they were trained on): `models/NAME.prompts.jsonl`,
 * which ships with the extension (the demo pair's: the first 200 of the tuning split), else the
 * tuning split `data/tune.jsonl` of a checkout; never the test split. Undefined for any other pair.
 */
export function builtInPrompts(root: string, slmPath: string): { path: string; source: string } | undefined {
    const models = resolve(root, "models");
    const name = /^(demo|paper)-slm\.gguf$/.exec(basename(slmPath))?.[1];
    if (!name || dirname(resolve(slmPath)) !== models) return undefined;
    const shipped = join(models, `${name}.prompts.jsonl`);
    if (existsSync(shipped)) return { path: shipped, source: `built-in (models/${name}.prompts.jsonl)` };
    const tune = resolve(root, "data", "tune.jsonl");
    return existsSync(tune) ? { path: tune, source: "built-in (data/tune.jsonl)" } : undefined;
}
