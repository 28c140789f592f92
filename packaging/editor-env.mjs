// Finds the tools .ci/install-editor.sh put outside the repo (Node 24, code-server, playwright-core,
// vsce) through the env.json it writes. Shared by the packager and the real-editor harness.
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const ALL = ["node", "codeServer", "playwrightCore", "vsce", "chromium"];

export function editorDir() {
    if (process.env.RSTITCH_EDITOR_DIR) return process.env.RSTITCH_EDITOR_DIR;
    const candidates = ["/opt/rstitch-editor", join(homedir(), ".cache", "rstitch-editor")];
    return candidates.find((d) => existsSync(join(d, "env.json"))) ?? candidates[0];
}

/** A tool the caller needs is not installed; the message says what to run. */
export class EditorToolsMissing extends Error {}

/**
 * @param {string[]} needed the tools the caller uses (all of them by default)
 * @returns {{node: string, codeServer: string, playwrightCore: string, vsce: string, chromium: string}}
 */
export function editorEnv(needed = ALL) {
    const file = join(editorDir(), "env.json");
    const rerun = `run \`bash .ci/install-editor.sh\` (npm test does on its first run; set RSTITCH_EDITOR_DIR to use another folder than ${editorDir()})`;
    if (!existsSync(file)) throw new EditorToolsMissing(`${file} not found: ${rerun}`);
    const env = JSON.parse(readFileSync(file, "utf8"));
    for (const key of needed) {
        if (!env[key]) throw new EditorToolsMissing(`${key} is not installed in ${editorDir()}: ${rerun}`);
        if (!existsSync(env[key])) throw new EditorToolsMissing(`${key} (${env[key]}) is missing: ${rerun}`);
    }
    return env;
}
