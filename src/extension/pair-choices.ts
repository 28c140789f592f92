/**
 * What the model picker (the chat header's button and Choose Models…) offers: the pair in use, the
 * recommended pairs already downloaded, the demo pair, model files, Download…, and the LLM server.
 * Pure: it reads settings already checked by the one settings reader (settings.ts, Restricted Mode
 * applied), and asks which files exist through `exists`. No `vscode` import.
 */
import { basename, join } from "node:path";
import type { Catalogue, CataloguePair } from "../models/catalogue.ts";
import type { Settings } from "./settings-schema.ts";

export type PairSettings = Pick<Settings, "slmModelPath" | "llmModelPath" | "llmServerUrl">;

export interface DownloadedPair {
    pair: CataloguePair;
    slmPath: string;
    llmPath: string;
}

/** The catalogue pairs whose two files are both in one of `dirs` (the extension's storage, the CLI's cache). */
export function downloadedPairs(catalogue: Catalogue, dirs: readonly string[], exists: (path: string) => boolean): DownloadedPair[] {
    const found: DownloadedPair[] = [];
    for (const pair of catalogue.pairs) {
        for (const dir of dirs) {
            const slmPath = join(dir, pair.slm.file);
            const llmPath = join(dir, pair.llm.file);
            if (exists(slmPath) && exists(llmPath)) {
                found.push({ pair, slmPath, llmPath });
                break;
            }
        }
    }
    return found;
}

const stem = (path: string) => basename(path).replace(/\.gguf$/i, "");

export function hostOf(url: string): string {
    try {
        return new URL(url).host;
    } catch {
        return url;
    }
}

/** True when the embedded demo pair answers: both paths empty and the LLM not on a server. */
export function isDemoPair(s: PairSettings): boolean {
    return s.slmModelPath === "" && s.llmModelPath === "" && s.llmServerUrl === "";
}

/** The pair in a few words, for the header's button: "demo pair", a catalogue pair's names, file names, "… + LLM on server". */
export function pairName(s: PairSettings, catalogue: Catalogue): string {
    if (isDemoPair(s)) return "demo pair";
    const slm = s.slmModelPath ? stem(s.slmModelPath) : "demo SLM";
    if (s.llmServerUrl) return `${slm} + LLM on server`;
    const known = catalogue.pairs.find((p) => basename(s.slmModelPath) === p.slm.file && basename(s.llmModelPath) === p.llm.file);
    if (known) return `${known.slm.name} + ${known.llm.name}`;
    return `${slm} + ${s.llmModelPath ? stem(s.llmModelPath) : "demo LLM"}`;
}

/** "SLM: /m/a.gguf · LLM: embedded demo model": where each model of the pair comes from. */
export function pairDetail(s: PairSettings): string {
    const llm = s.llmServerUrl ? `on the server ${s.llmServerUrl}` : s.llmModelPath || "embedded demo model";
    return `SLM: ${s.slmModelPath || "embedded demo model"} · LLM: ${llm}`;
}

export type PairAction =
    /** Nothing to change (the pair in use). */
    | { kind: "keep" }
    /** Both model paths ("" = the demo model), the pair's τ if it has one, and the LLM back from a server. */
    | { kind: "use"; slmPath: string; llmPath: string; threshold?: number; leaveServer: boolean }
    | { kind: "files" }
    | { kind: "slmFile" }
    | { kind: "llmFile" }
    | { kind: "download" }
    /** Run the LLM on this server again. */
    | { kind: "server"; url: string }
    /** The server in use: its setting, to change or clear it. */
    | { kind: "serverSetting" };

export interface PairChoice {
    group: "in use" | "pairs" | "files" | "server";
    label: string;
    description?: string;
    detail?: string;
    action: PairAction;
}

export interface ChoiceContext {
    catalogue: Catalogue;
    downloaded: readonly DownloadedPair[];
    /** A server the LLM ran on before a local pair was chosen (remembered by the picker). */
    lastServerUrl?: string;
}

/** Everything the picker lists, in order; the first is the pair in use. */
export function pairChoices(s: PairSettings, ctx: ChoiceContext): PairChoice[] {
    const server = s.llmServerUrl;
    const instead = server ? ` The LLM runs here instead of on ${hostOf(server)}.` : "";
    const choices: PairChoice[] = [
        // Under the "In use" separator: no description to say it again.
        { group: "in use", label: `$(check) ${pairName(s, ctx.catalogue)}`, detail: pairDetail(s), action: { kind: "keep" } },
    ];
    for (const d of ctx.downloaded) {
        if (!server && d.slmPath === s.slmModelPath && d.llmPath === s.llmModelPath) continue;
        choices.push({
            group: "pairs",
            label: `$(server-environment) ${d.pair.slm.name} + ${d.pair.llm.name}`,
            description: `downloaded · τ = ${d.pair.threshold}`,
            detail: d.pair.description + instead,
            action: { kind: "use", slmPath: d.slmPath, llmPath: d.llmPath, threshold: d.pair.threshold, leaveServer: server !== "" },
        });
    }
    if (!isDemoPair(s)) {
        choices.push({
            group: "pairs",
            label: "$(package) Demo pair",
            description: "the embedded demo models",
            detail: `Two tiny models trained on "What is A op B?" arithmetic only; they answer offline in a moment.${instead}`,
            action: { kind: "use", slmPath: "", llmPath: "", leaveServer: server !== "" },
        });
    }
    choices.push(
        { group: "files", label: "$(files) Choose files…", description: "both models; they must share one tokenizer", action: { kind: "files" } },
        { group: "files", label: "$(file) Small model (SLM) file…", detail: s.slmModelPath || "embedded demo model", action: { kind: "slmFile" } },
        { group: "files", label: "$(file) Large model (LLM) file…", detail: server ? `on the server ${server}` : s.llmModelPath || "embedded demo model", action: { kind: "llmFile" } },
        { group: "files", label: "$(cloud-download) Download recommended models…", description: `${ctx.catalogue.pairs.length} pairs from Hugging Face`, action: { kind: "download" } },
    );
    if (server) {
        choices.push({ group: "server", label: `$(remote) LLM server ${hostOf(server)}`, description: "in use", detail: `${server}: open the setting to change or clear it`, action: { kind: "serverSetting" } });
    } else if (ctx.lastServerUrl) {
        choices.push({ group: "server", label: `$(remote) LLM on server ${hostOf(ctx.lastServerUrl)}`, description: "used before", detail: `Run the LLM on ${ctx.lastServerUrl} again (the SLM stays here)`, action: { kind: "server", url: ctx.lastServerUrl } });
    }
    return choices;
}
