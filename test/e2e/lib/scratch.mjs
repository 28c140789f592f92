// Fresh scratch folders per phase, a workspace with a file in it, and where the repo is.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

export function scratchDir(phase) {
    return mkdtempSync(join(process.env.RSTITCH_E2E_TMP ?? tmpdir(), `rstitch-e2e-${phase}-`));
}

/** A phase's scratch folder goes when everything passed, and stays (with VS Code's logs) otherwise. */
export function keepOrRemove(scratch, checks) {
    if (checks.failed === 0 && process.env.RSTITCH_E2E_KEEP !== "1") rmSync(scratch, { recursive: true, force: true });
    else console.log(`    kept ${scratch} (code-server.log, ud/logs/…/R-Stitch.log)`);
}

export function makeWorkspace(scratch) {
    const ws = join(scratch, "workspace");
    mkdirSync(ws, { recursive: true });
    writeFileSync(join(ws, "sum.ts"),
        "// Adds the numbers of a list.\nexport function sum(xs: number[]): number {\n    return xs.reduce((a, b) => a + b, 0);\n}\n");
    writeFileSync(join(ws, "problem.txt"), "What is 17 + 25?\n");
    return ws;
}

export function writeUserSettings(scratch, settings) {
    const dir = join(scratch, "ud", "User");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "settings.json"), JSON.stringify(settings, null, 2));
}

export function readUserSettings(scratch) {
    return JSON.parse(readFileSync(join(scratch, "ud", "User", "settings.json"), "utf8"));
}

/** Settings that keep first-run chrome (welcome page, tips, update and telemetry prompts) away. */
export const quietSettings = {
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.enableExperiments": false,
    "telemetry.telemetryLevel": "off",
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "extensions.ignoreRecommendations": true,
    "update.mode": "none",
    "security.workspace.trust.enabled": false,
    "chat.disableAIFeatures": true,
    "window.commandCenter": false,
    "workbench.secondarySideBar.defaultVisibility": "hidden",
};

export function seconds(ms) { return `${(ms / 1000).toFixed(1)} s`; }
