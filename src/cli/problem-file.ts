/**
 * A problem file named on the command line, checked before the evaluation reads it: a regular file,
 * and every line a JSON object, so a folder or a `null` line gets a message naming the file and line.
 */
import { readFileSync, statSync } from "node:fs";
import { readProblems, type Problem } from "../evaluation/problems.ts";
import { UsageError } from "./usage.ts";

export function readProblemFile(path: string): Problem[] {
    let isFile = false;
    try {
        isFile = statSync(path).isFile();
    } catch {
        throw new UsageError(`Problem file not found: ${path}`);
    }
    if (!isFile) throw new UsageError(`${path} is a folder, not a problem file; pass a JSONL file: {"prompt": "...", "answer": "..."} per line.`);
    readFileSync(path, "utf8").split(/\r?\n/).forEach((line, i) => {
        if (!line.trim()) return;
        let row: unknown;
        try {
            row = JSON.parse(line);
        } catch {
            return; // readProblems names the line that is not JSON
        }
        if (typeof row !== "object" || row === null || Array.isArray(row)) {
            const what = row === null ? "null" : Array.isArray(row) ? "an array" : `a ${typeof row}`;
            throw new UsageError(`${path} line ${i + 1} is ${what}, not an object; each line must be {"prompt": "...", "answer": "..."}.`);
        }
    });
    return readProblems(path);
}
