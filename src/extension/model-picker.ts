/**
 * "Choose Models…", also the chat header's model button: one list of the pair in use, downloaded
 * recommended pairs, the demo pair, model files, Download… and the LLM server (pair-choices.ts).
 * It reads the settings through settings.ts, so in an untrusted workspace it neither shows nor keeps a
 * workspace's paths or server, and it writes where writeSetting says (never an untrusted workspace).
 */
import * as vscode from "vscode";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { modelsCacheDir } from "../models/cache-dir.ts";
import { CATALOGUE } from "../models/catalogue.ts";
import { COMMANDS } from "./command-ids.ts";
import { downloadedPairs, pairChoices, type PairAction, type PairSettings } from "./pair-choices.ts";
import { restrictedSettingsSetByWorkspace } from "./restricted-workspace.ts";
import { readSettings, writeSetting } from "./settings.ts";
import { settingId } from "./settings-schema.ts";

export type Role = "slm" | "llm";

const ROLE_TITLE: Record<Role, string> = { slm: "small model (SLM)", llm: "large model (LLM)" };
const ROLE_KEY = { slm: "slmModelPath", llm: "llmModelPath" } as const;
/** globalState: the server the LLM ran on before a local pair was chosen, to offer it again. */
const LAST_SERVER = "rstitch.lastLLMServerURL";

export interface PickerContext {
    /** Where Download Recommended Models… puts its files (the extension's global storage). */
    storageDir: string;
    /** The user's own state (globalState), never a workspace's. */
    memory: vscode.Memento;
}

/** Asks for one GGUF file and stores it; false when cancelled. */
export async function chooseModelFile(role: Role): Promise<boolean> {
    const picked = await vscode.window.showOpenDialog({
        title: `R-Stitch: choose the ${ROLE_TITLE[role]} GGUF file`,
        openLabel: `Use as ${role.toUpperCase()}`,
        canSelectMany: false,
        filters: { "GGUF models": ["gguf"], "All files": ["*"] },
    });
    if (!picked?.[0]) return false;
    await writeSetting(ROLE_KEY[role], picked[0].fsPath);
    return true;
}

export async function useDemoModels(): Promise<void> {
    await writeSetting("slmModelPath", "");
    await writeSetting("llmModelPath", "");
    void vscode.window.showInformationMessage("R-Stitch will use the embedded demo models.");
}

type Item = vscode.QuickPickItem & { action?: PairAction };

const GROUP_TITLE = { "in use": "In use", pairs: "Model pairs", files: "Files", server: "LLM server" } as const;

/** The list, with a separator before each group. */
async function items(settings: PairSettings, ctx: PickerContext): Promise<Item[]> {
    const dirs = [join(ctx.storageDir, "models"), modelsCacheDir({ env: process.env, platform: process.platform, home: homedir() })];
    const choices = pairChoices(settings, {
        catalogue: CATALOGUE,
        downloaded: downloadedPairs(CATALOGUE, dirs, existsSync),
        lastServerUrl: ctx.memory.get<string>(LAST_SERVER),
    });
    if (!vscode.workspace.isTrusted) {
        const ignored = await restrictedSettingsSetByWorkspace();
        if (ignored.length) choices[0].detail += ` · Restricted Mode: this workspace's ${ignored.join(", ")} ignored`;
    }
    const out: Item[] = [];
    let group: string | undefined;
    for (const c of choices) {
        if (c.group !== group) out.push({ label: GROUP_TITLE[c.group], kind: vscode.QuickPickItemKind.Separator });
        group = c.group;
        out.push({ label: c.label, description: c.description, detail: c.detail, action: c.action });
    }
    return out;
}

async function apply(action: PairAction, settings: PairSettings, ctx: PickerContext): Promise<void> {
    switch (action.kind) {
        case "keep":
            return;
        case "use":
            await writeSetting("slmModelPath", action.slmPath);
            await writeSetting("llmModelPath", action.llmPath);
            if (action.threshold !== undefined) await writeSetting("entropyThreshold", action.threshold);
            if (action.leaveServer) {
                await ctx.memory.update(LAST_SERVER, settings.llmServerUrl);
                await writeSetting("llmServerUrl", "");
            }
            return;
        case "files":
            if (await chooseModelFile("slm")) await chooseModelFile("llm");
            return;
        case "slmFile":
            await chooseModelFile("slm");
            return;
        case "llmFile":
            await chooseModelFile("llm");
            return;
        case "download":
            await vscode.commands.executeCommand(COMMANDS.downloadModels);
            return;
        case "server":
            await writeSetting("llmServerUrl", action.url);
            return;
        case "serverSetting":
            await vscode.commands.executeCommand("workbench.action.openSettings", `@id:${settingId("llmServerUrl")}`);
            return;
    }
}

/** Shows the list and applies the choice; resolves once the settings are written (or nothing was chosen). */
export async function chooseModels(ctx: PickerContext): Promise<void> {
    // The settings in effect (renamed keys, Restricted Mode and path expansion applied), as the pair loads them.
    const { settings } = readSettings();
    const pick = await vscode.window.showQuickPick(await items(settings, ctx), {
        title: "R-Stitch: Choose Models",
        placeHolder: "A small and a large model that share one tokenizer",
        matchOnDescription: true,
        matchOnDetail: true,
    });
    if (pick?.action) await apply(pick.action, settings, ctx);
}
