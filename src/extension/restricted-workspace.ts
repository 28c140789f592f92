/**
 * Which restricted settings an untrusted workspace sets. VS Code hides a restricted workspace value
 * from `get()` and `inspect()` alike while the workspace is untrusted, so the only way to tell the user
 * what was ignored is to read the workspace's own settings files: each folder's .vscode/settings.json
 * and the .code-workspace file's "settings". Read only, never written.
 */
import * as vscode from "vscode";
import { parse, type ParseError } from "jsonc-parser";
import { restrictedSettingIds } from "./settings-schema.ts";

async function settingsIn(uri: vscode.Uri, underKey?: string): Promise<string[]> {
    let text: string;
    try {
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
        return []; // no such file
    }
    const errors: ParseError[] = [];
    const root: unknown = parse(text, errors, { allowTrailingComma: true });
    const settings = underKey && root && typeof root === "object" ? (root as Record<string, unknown>)[underKey] : root;
    return settings && typeof settings === "object" ? Object.keys(settings) : [];
}

/** The restricted setting ids (current or former keys, as written) that the workspace's files set. */
export async function restrictedSettingsSetByWorkspace(): Promise<string[]> {
    const restricted = new Set(restrictedSettingIds());
    const found = new Set<string>();
    const files: Promise<string[]>[] = (vscode.workspace.workspaceFolders ?? []).map((f) => settingsIn(vscode.Uri.joinPath(f.uri, ".vscode", "settings.json")));
    const wsFile = vscode.workspace.workspaceFile;
    if (wsFile && wsFile.scheme !== "untitled") files.push(settingsIn(wsFile, "settings"));
    for (const keys of await Promise.all(files)) for (const k of keys) if (restricted.has(k)) found.add(k);
    return [...found].sort();
}
