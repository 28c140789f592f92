/** "Choose Models…": pick GGUF files for the small and large model, or go back to the demo pair. */
import * as vscode from "vscode";
import { readSettings, writeSetting } from "./settings.ts";

export type Role = "slm" | "llm";

const ROLE_TITLE: Record<Role, string> = { slm: "small model (SLM)", llm: "large model (LLM)" };
const ROLE_KEY = { slm: "slmModelPath", llm: "llmModelPath" } as const;

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

export async function chooseModels(): Promise<void> {
    // The files in effect (renamed keys, Restricted Mode and path expansion applied), as the pair loads them.
    const { settings } = readSettings();
    const current = (key: "slmModelPath" | "llmModelPath") => settings[key] || "embedded demo model";
    type Item = vscode.QuickPickItem & { run: () => Promise<unknown> };
    const items: Item[] = [
        { label: "$(file) Small model (SLM)…", detail: current("slmModelPath"), run: () => chooseModelFile("slm") },
        { label: "$(file) Large model (LLM)…", detail: current("llmModelPath"), run: () => chooseModelFile("llm") },
        {
            label: "$(files) Both models…",
            description: "the two must share one tokenizer",
            run: async () => (await chooseModelFile("slm")) && chooseModelFile("llm"),
        },
        { label: "$(package) Use the embedded demo models", run: useDemoModels },
    ];
    const pick = await vscode.window.showQuickPick(items, {
        title: "R-Stitch: Choose Models",
        placeHolder: "Two local GGUF models that share one tokenizer",
    });
    await pick?.run();
}
