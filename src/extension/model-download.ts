/**
 * "Download Recommended Models…": pick a catalogue pair, download it into the extension's global
 * storage with node-llama-cpp's downloader (progress notification with Cancel, disk check, resume),
 * check the pair, and point the settings at the files.
 */
import * as vscode from "vscode";
import { join } from "node:path";
import { CATALOGUE, downloadGB, findPair, type CataloguePair } from "../models/catalogue.ts";
import { formatBytes } from "../models/disk-space.ts";
import { DownloadError, downloadPair } from "../models/download.ts";
import { checkPairFiles } from "./decoder.ts";
import type { Log } from "./log.ts";
import { writeSetting } from "./settings.ts";

/** What the command produced; also what the in-host test reads. */
export type DownloadOutcome =
    | { status: "done"; pair: string; slmPath: string; llmPath: string }
    | { status: "cancelled" | "failed" | "refused"; reason: string }
    | undefined;

async function pickPair(): Promise<CataloguePair | undefined> {
    type Item = vscode.QuickPickItem & { pair: CataloguePair };
    const items: Item[] = CATALOGUE.pairs.map((p) => ({
        label: `${p.slm.name} + ${p.llm.name}`,
        description: `${p.slm.quantisation} / ${p.llm.quantisation} · ≈ ${downloadGB(p)} GB download · ≈ ${p.memoryGB} GB memory`,
        detail: `${p.description} τ = ${p.threshold}. Tokenizer: ${p.tokenizer.expected} (checked after the download).`,
        pair: p,
    }));
    const pick = await vscode.window.showQuickPick(items, {
        title: "R-Stitch: Download Recommended Models",
        placeHolder: "A small and a large model of one family, from Hugging Face",
        matchOnDescription: true,
        matchOnDetail: true,
    });
    return pick?.pair;
}

export async function downloadRecommendedModels(storageDir: string, log: Log, pairId?: unknown): Promise<DownloadOutcome> {
    const pair = typeof pairId === "string" ? findPair(pairId) : await pickPair();
    if (!pair) return typeof pairId === "string" ? { status: "refused", reason: `Unknown pair "${pairId}".` } : undefined;
    const dir = join(storageDir, "models");
    log.info(`Downloading ${pair.id} to ${dir}`);

    let paths;
    try {
        paths = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: `R-Stitch: downloading ${pair.slm.name} + ${pair.llm.name}`, cancellable: true },
            async (progress, token) => {
                const abort = new AbortController();
                token.onCancellationRequested(() => abort.abort());
                let reported = 0;
                return downloadPair({
                    pair,
                    dir,
                    signal: abort.signal,
                    onProgress: ({ downloaded, total }) => {
                        const percent = total > 0 ? (downloaded / total) * 100 : 0;
                        if (percent - reported < 0.5 && downloaded < total) return;
                        progress.report({ increment: percent - reported, message: `${formatBytes(downloaded)} of ${formatBytes(total)}` });
                        reported = percent;
                    },
                });
            },
        );
    } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        log.warn(`Download of ${pair.id}: ${reason}`);
        if (e instanceof DownloadError && e.code === "cancelled") {
            void vscode.window.showInformationMessage(`R-Stitch: ${reason}`);
            return { status: "cancelled", reason };
        }
        void vscode.window.showErrorMessage(`R-Stitch: ${reason}`, "Try Again").then((pick) => {
            if (pick) void vscode.commands.executeCommand("rstitch.downloadModels", pair.id);
        });
        return { status: "failed", reason };
    }

    try {
        await checkPairFiles(paths.slmPath, paths.llmPath);
    } catch (e) {
        const reason = `The downloaded files cannot be used together: ${(e as Error).message}`;
        log.error(reason);
        void vscode.window.showErrorMessage(`R-Stitch: ${reason}`);
        return { status: "failed", reason };
    }
    await writeSetting("slmModelPath", paths.slmPath);
    await writeSetting("llmModelPath", paths.llmPath);
    await writeSetting("entropyThreshold", pair.threshold);
    log.info(`Downloaded and checked ${pair.id}: SLM ${paths.slmPath}, LLM ${paths.llmPath}; τ set to ${pair.threshold}.`);
    void vscode.window.showInformationMessage(`R-Stitch now uses ${pair.slm.name} + ${pair.llm.name} (τ = ${pair.threshold}, the pair's starting point).`);
    return { status: "done", pair: pair.id, ...paths };
}
