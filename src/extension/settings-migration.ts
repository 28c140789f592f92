/**
 * Moves values from the keys earlier builds used (`rstitch.slmModelPath`, …) to the keys that replaced
 * them (`rstitch.SLMModelPath`, …), scope by scope, so the Settings editor shows them under their new
 * titles. Runs at activation and whenever a former key is written (a pasted snippet from old notes).
 * A value that cannot be moved (settings.json unparsable, read-only) stays where it is and is still
 * read (settings.ts); the user is told once, and nothing is dropped without a line in the log.
 */
import * as vscode from "vscode";
import type { Log } from "./log.ts";
import { FORMER_KEYS, SECTION, SETTING_KEYS, settingId, type ScopedValues, type SettingKey } from "./settings-schema.ts";

interface Scope {
    name: string;
    field: keyof ScopedValues;
    target: vscode.ConfigurationTarget;
    folder?: vscode.WorkspaceFolder;
    /** Opens that scope's settings.json. */
    openFile: string;
}

/**
 * The scopes a user can write; folder settings are separate files only in a multi-root workspace. An
 * untrusted workspace's files are left as they are: its values are not used, and writing them would
 * act on a workspace the user has not trusted. Trust granted runs the move again.
 */
function scopes(): Scope[] {
    const out: Scope[] = [{ name: "user", field: "globalValue", target: vscode.ConfigurationTarget.Global, openFile: "workbench.action.openSettingsJson" }];
    if (!vscode.workspace.isTrusted) return out;
    if (vscode.workspace.workspaceFolders?.length) {
        out.push({ name: "workspace", field: "workspaceValue", target: vscode.ConfigurationTarget.Workspace, openFile: "workbench.action.openWorkspaceSettingsFile" });
    }
    if (vscode.workspace.workspaceFile !== undefined) {
        for (const folder of vscode.workspace.workspaceFolders ?? []) {
            out.push({ name: `folder ${folder.name}`, field: "workspaceFolderValue", target: vscode.ConfigurationTarget.WorkspaceFolder, folder, openFile: "workbench.action.openFolderSettingsFile" });
        }
    }
    return out;
}

/** True when a change touched a former key, so the move should run again. */
export function touchesFormerKey(e: vscode.ConfigurationChangeEvent): boolean {
    return Object.values(FORMER_KEYS).some((former) => e.affectsConfiguration(`${SECTION}.${former}`));
}

export class SettingsMigration {
    private running: Promise<void> | undefined;
    private again = false;
    private reported = new Set<string>();

    constructor(private readonly log: Log) {}

    /** Moves every former value it finds; overlapping calls run once more after the current one. */
    run(): Promise<void> {
        if (this.running) {
            this.again = true;
            return this.running;
        }
        this.running = (async () => {
            do {
                this.again = false;
                await this.moveAll();
            } while (this.again);
        })().finally(() => (this.running = undefined));
        return this.running;
    }

    /** The former keys a move failed for (each reported to the user once), as "rstitch.key/scope". */
    unmoved(): string[] {
        return [...this.reported];
    }

    private async moveAll(): Promise<void> {
        for (const [key, former] of Object.entries(FORMER_KEYS) as [SettingKey, string][]) {
            for (const scope of scopes()) await this.move(key, former, scope);
        }
    }

    private async move(key: SettingKey, former: string, scope: Scope): Promise<void> {
        const config = vscode.workspace.getConfiguration(SECTION, scope.folder?.uri);
        const old = config.inspect(former)?.[scope.field];
        if (old === undefined) return;
        const current = SETTING_KEYS[key];
        const present = config.inspect(current)?.[scope.field];
        const from = `${SECTION}.${former}`;
        const to = settingId(key);
        try {
            if (present === undefined) await config.update(current, old, scope.target);
            await config.update(former, undefined, scope.target);
        } catch (e) {
            const why = e instanceof Error ? e.message : String(e);
            this.log.warn(`Setting ${from} (${scope.name}) could not be moved to ${to}: ${why}`);
            if (this.reported.has(`${from}/${scope.name}`)) return;
            this.reported.add(`${from}/${scope.name}`);
            void vscode.window.showWarningMessage(
                `R-Stitch: ${from} is now ${to}, but your ${scope.name} value could not be moved (${why.slice(0, 200)}). It is still used; move it by hand.`,
                "Open Settings File",
            ).then((pick) => {
                if (pick) void vscode.commands.executeCommand(scope.openFile);
            });
            return;
        }
        if (present === undefined) this.log.info(`Setting ${from} is now ${to}: moved the ${scope.name} value ${JSON.stringify(old)}.`);
        else this.log.info(`Setting ${from} is now ${to}: the ${scope.name} settings already set ${to} to ${JSON.stringify(present)}, so ${from} = ${JSON.stringify(old)} was removed.`);
    }
}
