/** Reads the `rstitch.*` configuration through the validator, and reports each new warning once. */
import * as vscode from "vscode";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import type { Log } from "./log.ts";
import { expandModelPath, FORMER_KEYS, SECTION, SETTING_KEYS, validateSettings, valueOfRenamed, type SettingKey, type SettingsResult } from "./settings-schema.ts";

export function readSettings(): SettingsResult {
    const config = vscode.workspace.getConfiguration(SECTION);
    const result = validateSettings((key) => {
        const former = FORMER_KEYS[key];
        // A renamed setting whose value could not be moved yet still counts (settings-migration.ts).
        if (former === undefined) return config.get(SETTING_KEYS[key]);
        return valueOfRenamed(config.inspect(SETTING_KEYS[key]), config.inspect(former));
    });
    const ctx = { home: homedir(), workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath };
    result.settings.slmModelPath = expandModelPath(result.settings.slmModelPath, ctx, join, isAbsolute);
    result.settings.llmModelPath = expandModelPath(result.settings.llmModelPath, ctx, join, isAbsolute);
    return result;
}

/** Where to write a setting: the workspace when it already overrides it there, else the user settings. */
export function targetFor(key: SettingKey): vscode.ConfigurationTarget {
    const info = vscode.workspace.getConfiguration(SECTION).inspect(SETTING_KEYS[key]);
    if (info?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
    if (info?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
    return vscode.ConfigurationTarget.Global;
}

export async function writeSetting(key: SettingKey, value: unknown): Promise<void> {
    await vscode.workspace.getConfiguration(SECTION).update(SETTING_KEYS[key], value, targetFor(key));
}

/** Shows each distinct settings warning once per session (and logs it), never blocking. */
export class SettingsWarnings {
    private shown = new Set<string>();

    constructor(private readonly log: Log) {}

    report(warnings: readonly string[]): void {
        for (const w of warnings) {
            if (this.shown.has(w)) continue;
            this.shown.add(w);
            this.log.warn(`Setting: ${w}`);
            void vscode.window.showWarningMessage(`R-Stitch: ${w}`, "Open Settings").then((pick) => {
                // A warning starts with the setting's id: "@id:" shows that setting alone.
                if (pick) void vscode.commands.executeCommand("workbench.action.openSettings", `@id:${w.split(":")[0]}`);
            });
        }
    }

    /** After a settings change, a warning that comes back is worth showing again. */
    reset(): void {
        this.shown.clear();
    }
}
