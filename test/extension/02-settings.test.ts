import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { api, resetSettings, setSetting } from "./helpers.ts";

describe("settings", () => {
    afterEach(resetSettings);

    it("reads back what was written, without a reload", async () => {
        const a = await api();
        await setSetting("tokenBudget", 64);
        await setSetting("entropyThreshold", 0.25);
        await setSetting("mode", "llm");
        await setSetting("temperature", 0.5);
        const { settings, warnings } = a.settings();
        assert.equal(settings.tokenBudget, 64);
        assert.equal(settings.entropyThreshold, 0.25);
        assert.equal(settings.mode, "llm");
        assert.equal(settings.temperature, 0.5);
        assert.deepEqual(warnings, []);
    });

    it("replaces out-of-range values and names the setting in a warning", async () => {
        const a = await api();
        await setSetting("tokenBudget", 100000);
        await setSetting("entropyThreshold", -0.5);
        const { settings, warnings } = a.settings();
        assert.equal(settings.tokenBudget, 8192);
        assert.equal(settings.entropyThreshold, 0);
        assert.ok(warnings.some((w) => w.includes("rstitch.tokenBudget") && w.includes("100000") && w.includes("8192")), warnings.join("\n"));
        assert.ok(warnings.some((w) => w.includes("rstitch.entropyThreshold") && w.includes("-0.5")), warnings.join("\n"));
    });

    it("falls back to the default for a value of the wrong type", async () => {
        const a = await api();
        await setSetting("mode", "fastest");
        const { settings, warnings } = a.settings();
        assert.equal(settings.mode, "stitch");
        assert.ok(warnings.some((w) => w.includes("rstitch.mode") && w.includes("fastest")));
    });
});

describe("settings renamed for their titles", () => {
    const config = () => vscode.workspace.getConfiguration("rstitch");
    const scopes = (key: string) => {
        const i = config().inspect(key);
        return { user: i?.globalValue, workspace: i?.workspaceValue };
    };

    afterEach(async () => {
        for (const target of [vscode.ConfigurationTarget.Global, vscode.ConfigurationTarget.Workspace]) {
            for (const key of ["llmServerTimeout", "LLMServerTimeout", "gpuLayers", "GPULayers"]) await config().update(key, undefined, target);
        }
    });

    it("a value written under a former key moves to the new key, in its own scope, and is used", async () => {
        const a = await api();
        await config().update("llmServerTimeout", 90, vscode.ConfigurationTarget.Global);
        await config().update("gpuLayers", 7, vscode.ConfigurationTarget.Workspace);
        await until(() => scopes("llmServerTimeout").user === undefined && scopes("gpuLayers").workspace === undefined, "the former keys to be removed");
        assert.deepEqual(scopes("LLMServerTimeout"), { user: 90, workspace: undefined });
        assert.deepEqual(scopes("GPULayers"), { user: undefined, workspace: 7 });
        assert.equal(a.settings().settings.llmServerTimeout, 90);
        assert.equal(a.settings().settings.gpuLayers, 7);
    });

    it("a former key never overwrites the new key set in the same scope", async () => {
        const a = await api();
        await config().update("LLMServerTimeout", 30, vscode.ConfigurationTarget.Global);
        await config().update("llmServerTimeout", 90, vscode.ConfigurationTarget.Global);
        await until(() => scopes("llmServerTimeout").user === undefined, "the former key to be removed");
        assert.equal(scopes("LLMServerTimeout").user, 30);
        assert.equal(a.settings().settings.llmServerTimeout, 30);
    });
});

describe("a former key in a settings file that cannot be written", () => {
    let file: string | undefined;
    afterEach(() => {
        if (file) rmSync(file, { force: true });
    });

    it("is still used, and stays where the user wrote it", async () => {
        const a = await api();
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
        assert.ok(folder, "the test host has a workspace folder open");
        mkdirSync(join(folder, ".vscode"), { recursive: true });
        file = join(folder, ".vscode", "settings.json");
        // Unclosed: VS Code reads what it can, but refuses to write the file until it is fixed.
        writeFileSync(file, '{\n  "rstitch.llmServerTimeout": 45,\n');
        await until(() => a.settings().settings.llmServerTimeout === 45, "the former key's value to be read", 20_000);
        // One complete move attempt after the file was written: it must have failed, and left the file alone.
        const unmoved = await a.migrateSettings();
        assert.ok(unmoved.includes("rstitch.llmServerTimeout/workspace"), `the move failed and was reported: ${unmoved.join(", ")}`);
        assert.equal(vscode.workspace.getConfiguration("rstitch").inspect("llmServerTimeout")?.workspaceValue, 45, "left in place");
        assert.equal(readFileSync(file, "utf8"), '{\n  "rstitch.llmServerTimeout": 45,\n', "the file is untouched");
        assert.equal(a.settings().settings.llmServerTimeout, 45);
    });
});

async function until(done: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}
