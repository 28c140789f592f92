/** Shared by the in-host test files: the extension's API, settings writes, the model pair to use. */
import * as vscode from "vscode";
import { existsSync } from "node:fs";
import type { RStitchApi } from "../../src/extension/extension.ts";
import type { Outcome } from "../../src/extension/session.ts";
import { demoModelPaths } from "../../src/stitch/defaults.ts";

export const EXTENSION_ID = "rstitch.rstitch";

export async function api(): Promise<RStitchApi> {
    const ext = vscode.extensions.getExtension<RStitchApi>(EXTENSION_ID);
    if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this host`);
    return ext.activate();
}

export function extensionPath(): string {
    return vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
}

const TOUCHED = new Set<string>();

/** Writes an rstitch.* user setting (undefined removes it); `resetSettings` undoes them all. */
export async function setSetting(key: string, value: unknown): Promise<void> {
    TOUCHED.add(key);
    await vscode.workspace.getConfiguration("rstitch").update(key, value, vscode.ConfigurationTarget.Global);
}

export async function resetSettings(): Promise<void> {
    for (const key of TOUCHED) await vscode.workspace.getConfiguration("rstitch").update(key, undefined, vscode.ConfigurationTarget.Global);
    TOUCHED.clear();
}

/**
 * The pair the solve tests run on: the embedded demo pair (empty path settings), unless
 * RSTITCH_TEST_SLM and RSTITCH_TEST_LLM name another pair (e.g. before the demo pair exists).
 * RSTITCH_TEST_THRESHOLD overrides τ for such a pair.
 */
export async function useTestPair(): Promise<{ slm: string; llm: string }> {
    const slm = process.env.RSTITCH_TEST_SLM;
    const llm = process.env.RSTITCH_TEST_LLM;
    if (slm && llm) {
        await setSetting("SLMModelPath", slm);
        await setSetting("LLMModelPath", llm);
        if (process.env.RSTITCH_TEST_THRESHOLD) await setSetting("entropyThreshold", Number(process.env.RSTITCH_TEST_THRESHOLD));
        return { slm, llm };
    }
    await setSetting("SLMModelPath", "");
    await setSetting("LLMModelPath", "");
    const demo = demoModelPaths(extensionPath());
    for (const p of [demo.slm, demo.llm]) if (!existsSync(p)) throw new Error(`the demo model ${p} is missing (train it with tools/, or set RSTITCH_TEST_SLM/RSTITCH_TEST_LLM)`);
    return demo;
}

export async function solve(problem: string): Promise<Outcome> {
    const outcome = await vscode.commands.executeCommand<Outcome | undefined>("rstitch.solve", problem);
    if (!outcome) throw new Error("rstitch.solve returned nothing");
    return outcome;
}

export function finished(outcome: Outcome) {
    if (outcome.status !== "finished") throw new Error(`expected a finished request, got ${outcome.status}: ${outcome.reason}`);
    return outcome.result;
}

/** Resolves with the first decoder event that matches. */
export function nextEvent(a: RStitchApi, match: (e: Parameters<Parameters<RStitchApi["onEvent"]>[0]>[0]) => boolean): Promise<void> {
    return new Promise((resolve) => {
        const sub = a.onEvent((e) => {
            if (match(e)) {
                sub.dispose();
                resolve();
            }
        });
    });
}
