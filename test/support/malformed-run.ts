/** Runs the built CLI on one malformed model file, as a user would, and records how it ended. */
import { spawnSync } from "node:child_process";
import type { MalformedCase } from "./malformed-gguf.ts";

/** The bound on every run of the corpus. */
export const CASE_TIMEOUT_MS = 30_000;

export interface CaseRun {
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
    seconds: number;
}

/** `rstitch solve` with the case's file in its role and `validModel` in the other. */
export function runCase(c: MalformedCase, validModel: string, timeoutMs = CASE_TIMEOUT_MS, cli = "dist/cli.js"): CaseRun {
    const [slm, llm] = c.role === "slm" ? [c.path, validModel] : [validModel, c.path];
    const started = Date.now();
    const r = spawnSync(process.execPath, [cli, "solve", "--slm", slm, "--llm", llm, "--threads", "1", "--budget", "8", "What is 2+3?"], {
        encoding: "utf8", timeout: timeoutMs, env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 1 << 26,
    });
    return { code: r.status, signal: r.signal, stdout: r.stdout ?? "", stderr: r.stderr ?? "", seconds: (Date.now() - started) / 1000 };
}
