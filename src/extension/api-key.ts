/**
 * LLM servers' API keys live in the editor's SecretStorage (the OS keychain where there is one), one
 * per server URL (server-api-keys.ts), never in settings files that get synced or committed. One
 * command sets or clears the key of a server.
 */
import * as vscode from "vscode";
import { apiKeySecretName } from "./server-api-keys.ts";

/**
 * "R-Stitch: Set LLM Server API Key…": asks which server (the configured one by default), then its
 * key; empty input clears it. Returns the server's URL when its key changed.
 */
export async function setApiKeyCommand(secrets: vscode.SecretStorage, configuredUrl: string): Promise<string | undefined> {
    const server = await vscode.window.showInputBox({
        title: "R-Stitch: LLM Server API Key (1/2): which server",
        prompt: "The LLM server's URL; its key is sent to this server only.",
        value: configuredUrl,
        placeHolder: "http://gpu-box:8080",
        ignoreFocusOut: true,
        validateInput: (v) => {
            const checked = apiKeySecretName(v);
            return "error" in checked ? checked.error : undefined;
        },
    });
    if (server === undefined) return undefined;
    const secret = apiKeySecretName(server);
    if ("error" in secret) {
        void vscode.window.showErrorMessage(`R-Stitch: ${secret.error}`);
        return undefined;
    }
    const had = (await secrets.get(secret.name)) !== undefined;
    const value = await vscode.window.showInputBox({
        title: `R-Stitch: LLM Server API Key (2/2): ${secret.url}`,
        prompt: had ? `A key is stored for ${secret.url}. Enter a new one, or leave empty to remove it.` : `The key the server at ${secret.url} was started with (llama-server --api-key, vLLM --api-key). Stored in the editor's secret storage.`,
        password: true,
        ignoreFocusOut: true,
    });
    if (value === undefined) return undefined;
    if (value.trim() === "") {
        if (!had) return undefined;
        await secrets.delete(secret.name);
        void vscode.window.showInformationMessage(`R-Stitch: the API key for ${secret.url} was removed.`);
    } else {
        await secrets.store(secret.name, value.trim());
        void vscode.window.showInformationMessage(`R-Stitch: the API key for ${secret.url} is stored in the editor's secret storage.`);
    }
    return secret.url;
}
