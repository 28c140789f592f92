/** Problem sets for eval and bench: JSONL, one {"prompt", "answer"} per line. */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export interface Problem {
    prompt: string;
    answer: string;
}

export class ProblemFileError extends Error {}

export function readProblems(path: string): Problem[] {
    if (!existsSync(path)) throw new ProblemFileError(`Problem file not found: ${path}`);
    if (!statSync(path).isFile()) throw new ProblemFileError(`${path} is a folder, not a problem file; pass a JSONL file: {"prompt": "...", "answer": "..."} per line.`);
    const problems: Problem[] = [];
    readFileSync(path, "utf8").split(/\r?\n/).forEach((line, i) => {
        if (!line.trim()) return;
        let row: unknown;
        try {
            row = JSON.parse(line);
        } catch {
            throw new ProblemFileError(`${path} line ${i + 1} is not JSON; each line must be {"prompt": "...", "answer": "..."}.`);
        }
        if (typeof row !== "object" || row === null || Array.isArray(row)) {
            const what = row === null ? "null" : Array.isArray(row) ? "an array" : `a ${typeof row}`;
            throw new ProblemFileError(`${path} line ${i + 1} is ${what}, not an object; each line must be {"prompt": "...", "answer": "..."}.`);
        }
        const r = row as Record<string, unknown>;
        if (typeof r.prompt !== "string" || (typeof r.answer !== "string" && typeof r.answer !== "number")) {
            throw new ProblemFileError(`${path} line ${i + 1} needs a string "prompt" and an "answer".`);
        }
        problems.push({ prompt: r.prompt, answer: String(r.answer) });
    });
    if (problems.length === 0) throw new ProblemFileError(`${path} holds no problems.`);
    return problems;
}

/** The named splits shipped in data/ (data/<split>.jsonl). */
export function splitPath(root: string, split: string): string {
    const path = join(root, "data", `${split}.jsonl`);
    if (!existsSync(path)) {
        const dir = join(root, "data");
        const known = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".jsonl")).map((f) => f.slice(0, -6)) : [];
        throw new ProblemFileError(`No split "${split}"${known.length ? `; available: ${known.join(", ")}` : ""}. Or pass --file PROBLEMS.jsonl.`);
    }
    return path;
}
