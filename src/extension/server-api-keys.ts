/**
 * LLM servers' API keys in SecretStorage: one secret per normalised server URL, so a key is sent only
 * to the server it was given for, and the one-time move of a key stored the old global way. Written
 * against the few SecretStorage calls it needs (no editor API), so it is unit-tested on a map.
 */
import { normaliseServerUrl } from "../stitch/remote/server-client.ts";

/** What this module uses of vscode.SecretStorage. */
export interface SecretStore {
    get(name: string): PromiseLike<string | undefined>;
    store(name: string, value: string): PromiseLike<void>;
    delete(name: string): PromiseLike<void>;
}

/** The one global key of earlier versions, sent to whatever server was configured. */
export const LEGACY_API_KEY_SECRET = "rstitch.llmServerApiKey";
const PREFIX = "rstitch.llmServerApiKey:";

/**
 * The secret that holds the key for this server, or the reason the URL is not one. Normalised first,
 * so `HTTP://Box:8080/` and `http://box:8080` share a key and `https://box` does not share `http://box`'s.
 */
export function apiKeySecretName(url: string): { name: string; url: string } | { error: string } {
    const checked = normaliseServerUrl(url);
    if ("error" in checked) return checked;
    return { name: PREFIX + checked.url, url: checked.url };
}

export type LegacyKeyMove =
    | { action: "none" }
    /** Store the global key under this server's secret, then delete the global one. */
    | { action: "move"; to: string }
    /** This server already has its own key: the global one is dropped, never sent anywhere. */
    | { action: "drop" };

/**
 * What to do once with a key stored the old global way: it belonged to the server configured then,
 * so it moves to the configured URL's secret. With no (valid) URL configured it stays where it is
 * until one is, and reaches no server meanwhile.
 */
export function legacyKeyMove(legacy: string | undefined, configuredUrl: string, targetHasKey: boolean): LegacyKeyMove {
    if (legacy === undefined) return { action: "none" };
    if (configuredUrl.trim() === "") return { action: "none" };
    const target = apiKeySecretName(configuredUrl);
    if ("error" in target) return { action: "none" };
    return targetHasKey ? { action: "drop" } : { action: "move", to: target.name };
}

/** The key for this server (undefined: none stored, or not a server URL). */
export async function readApiKey(secrets: SecretStore, url: string): Promise<string | undefined> {
    const secret = apiKeySecretName(url);
    return "error" in secret ? undefined : secrets.get(secret.name);
}

/**
 * Moves a key stored the old global way to the configured server's secret; the global one is then
 * gone, so this happens once. Returns the server's URL when a key moved.
 */
export async function migrateLegacyApiKey(secrets: SecretStore, configuredUrl: string): Promise<string | undefined> {
    const legacy = await secrets.get(LEGACY_API_KEY_SECRET);
    if (legacy === undefined) return undefined;
    const target = apiKeySecretName(configuredUrl);
    const targetHasKey = "error" in target ? false : (await secrets.get(target.name)) !== undefined;
    const move = legacyKeyMove(legacy, configuredUrl, targetHasKey);
    if (move.action === "none") return undefined;
    if (move.action === "move") await secrets.store(move.to, legacy);
    await secrets.delete(LEGACY_API_KEY_SECRET);
    return move.action === "move" && !("error" in target) ? target.url : undefined;
}
