/** Reads the `rstitch.*` configuration through the validator, and reports each new warning once. */
import * as vscode from "vscode";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import type { Log } from "./log.ts";
import {
    expandModelPath, FORMER_KEYS, pointsIntoWorkspace, resolveSetting, RESTRICTED_SETTINGS, SECTION, SETTING_KEYS, settingId, validateSettings,
    type SettingKey, type SettingsResult,
} from "./settings-schema.ts";

/**
 * The settings in effect. In an untrusted workspace (Restricted Mode) a setting that names a file or
 * a server takes the user's value alone, on this path as on VS Code's own, and a user's model path
 * that points into the workspace (relative, `${workspaceFolder}`) is not used either.
 */
export function readSettings(trusted: boolean = vscode.workspace.isTrusted): SettingsResult {
    const config = vscode.workspace.getConfiguration(SECTION);
    const result = validateSettings((key) => {
        const former = FORMER_KEYS[key];
        const restricted = RESTRICTED_SETTINGS.includes(key);
        if (former === undefined && !restricted) return config.get(SETTING_KEYS[key]);
        // A renamed setting whose value could not be moved yet still counts (settings-migration.ts).
        return resolveSetting(config.inspect(SETTING_KEYS[key]), former === undefined ? undefined : config.inspect(former), { restricted, trusted });
    });
    const ctx = { home: homedir(), workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath };
    for (const key of ["slmModelPath", "llmModelPath"] as const) {
        const raw = result.settings[key];
        if (!trusted && pointsIntoWorkspace(raw, isAbsolute)) {
            result.warnings.push(`${settingId(key)}: ${JSON.stringify(raw)} points into this workspace, which is not trusted; using the demo model until you trust it.`);
            result.settings[key] = "";
        } else {
            result.settings[key] = expandModelPath(raw, ctx, join, isAbsolute);
        }
    }
    return result;
}

/**
 * Where to write a setting: the workspace when it already overrides it there, else the user settings.
 * A restricted setting of an untrusted workspace always goes to the user settings (a workspace value
 * would not be used).
 */
export function targetFor(key: SettingKey): vscode.ConfigurationTarget {
    if (!vscode.workspace.isTrusted && RESTRICTED_SETTINGS.includes(key)) return vscode.ConfigurationTarget.Global;
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

/** The text that tells the user which workspace settings Restricted Mode ignored, and why. */
export function restrictedNoticeText(ignored: readonly string[]): string {
    const list = ignored.join(", ");
    const verb = ignored.length === 1 ? "is" : "are";
    return `This workspace is not trusted, so its ${ignored.length === 1 ? "setting" : "settings"} ${list} ${verb} ignored: a workspace could otherwise choose which file runs as a model or which server receives your questions and code. Your user settings and the demo models are used; trust the workspace to use its settings.`;
}

/** Tells the user once per session about each workspace setting that Restricted Mode ignored. */
export class RestrictedModeNotice {
    private told = new Set<string>();

    constructor(private readonly log: Log) {}

    report(ignored: readonly string[]): void {
        const fresh = ignored.filter((id) => !this.told.has(id));
        if (fresh.length === 0) return;
        for (const id of fresh) this.told.add(id);
        const text = restrictedNoticeText(fresh);
        this.log.warn(`Restricted Mode: ${text}`);
        void vscode.window.showWarningMessage(`R-Stitch: ${text}`, "Manage Workspace Trust").then((pick) => {
            if (pick) void vscode.commands.executeCommand("workbench.trust.manage");
        });
    }
}
