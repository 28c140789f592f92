/**
 * The built CLI as a child process that does not block this one (a test's own loopback servers keep
 * answering while it runs): its exit code and everything it printed.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";

const CLI = join(import.meta.dirname, "..", "..", "dist", "cli.js");

export interface CliRun {
    code: number | null;
    stdout: string;
    stderr: string;
}

export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<CliRun> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...args], { env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"], timeout: options.timeoutMs });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}
