/**
 * The LLM server's API key lives in the editor's SecretStorage (the OS keychain where there is one),
 * never in settings files that get synced or committed. One command sets or clears it.
 */
import * as vscode from "vscode";

export const API_KEY_SECRET = "rstitch.llmServerApiKey";

export function readApiKey(secrets: vscode.SecretStorage): Promise<string | undefined> {
    return Promise.resolve(secrets.get(API_KEY_SECRET));
}

/** "R-Stitch: Set LLM Server API Key…": empty input clears the key. Returns true when it changed. */
export async function setApiKeyCommand(secrets: vscode.SecretStorage): Promise<boolean> {
    const had = (await secrets.get(API_KEY_SECRET)) !== undefined;
    const value = await vscode.window.showInputBox({
        title: "R-Stitch: LLM Server API Key",
        prompt: had ? "A key is stored. Enter a new one, or leave empty to remove it." : "The key llama-server was started with (--api-key). Stored in the editor's secret storage.",
        password: true,
        ignoreFocusOut: true,
    });
    if (value === undefined) return false;
    if (value.trim() === "") {
        if (!had) return false;
        await secrets.delete(API_KEY_SECRET);
        void vscode.window.showInformationMessage("R-Stitch: the LLM server API key was removed.");
    } else {
        await secrets.store(API_KEY_SECRET, value.trim());
        void vscode.window.showInformationMessage("R-Stitch: the LLM server API key is stored in the editor's secret storage.");
    }
    return true;
}
