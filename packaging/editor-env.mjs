// Finds the tools .ci/install-editor.sh put outside the repo (Node 24, code-server, playwright-core,
// vsce) through the env.json it writes. Shared by the packager and the real-editor harness.
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export function editorDir() {
    if (process.env.RSTITCH_EDITOR_DIR) return process.env.RSTITCH_EDITOR_DIR;
    const candidates = ["/opt/rstitch-editor", join(homedir(), ".cache", "rstitch-editor")];
    return candidates.find((d) => existsSync(join(d, "env.json"))) ?? candidates[0];
}

/** @returns {{node: string, codeServer: string, playwrightCore: string, vsce: string, chromium: string}} */
export function editorEnv() {
    const file = join(editorDir(), "env.json");
    if (!existsSync(file)) {
        throw new Error(`${file} not found: run .ci/install-editor.sh first (set RSTITCH_EDITOR_DIR to use another folder)`);
    }
    const env = JSON.parse(readFileSync(file, "utf8"));
    for (const [key, path] of Object.entries(env)) {
        if (!existsSync(path)) throw new Error(`${key} (${path}) is missing: re-run .ci/install-editor.sh`);
    }
    return env;
}
