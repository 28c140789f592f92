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

/** One message the extension showed while `answerMessages` was in place. */
export interface Asked {
    level: "warning" | "information";
    message: string;
    modal: boolean;
    items: string[];
}

/**
 * Answers the extension's messages (showWarningMessage, showInformationMessage) as a user would
 * click, `answer` choosing the button (undefined: dismissed), and records what was asked. The test
 * suite runs inside the extension's own folder, so its `vscode.window` is the very object the
 * extension calls; `restore()` puts the real functions back.
 */
export function answerMessages(answer: (asked: Asked) => string | undefined) {
    const w = vscode.window as unknown as Record<"showWarningMessage" | "showInformationMessage", (...args: unknown[]) => Thenable<unknown>>;
    const real = { showWarningMessage: w.showWarningMessage, showInformationMessage: w.showInformationMessage };
    const asked: Asked[] = [];
    const fake = (level: Asked["level"]) => (message: unknown, ...rest: unknown[]) => {
        const options = typeof rest[0] === "object" && rest[0] !== null && !("title" in rest[0]) ? (rest.shift() as { modal?: boolean }) : {};
        const items = rest.map((r) => (typeof r === "string" ? r : String((r as { title?: string }).title)));
        const a: Asked = { level, message: String(message), modal: options.modal === true, items };
        asked.push(a);
        return Promise.resolve(answer(a));
    };
    w.showWarningMessage = fake("warning");
    w.showInformationMessage = fake("information");
    return {
        asked,
        restore() {
            w.showWarningMessage = real.showWarningMessage;
            w.showInformationMessage = real.showInformationMessage;
        },
    };
}

/** Answers the extension's next showQuickPick with `choose(items)` (undefined: Escape), recording the items it offered. */
export function answerQuickPick(choose: (items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined) {
    const w = vscode.window as unknown as { showQuickPick: (...args: unknown[]) => Thenable<unknown> };
    const real = w.showQuickPick;
    const offered: vscode.QuickPickItem[][] = [];
    w.showQuickPick = async (items: unknown) => {
        const list = (await items) as vscode.QuickPickItem[];
        offered.push(list);
        return choose(list);
    };
    return {
        offered,
        restore() {
            w.showQuickPick = real;
        },
    };
}

/**
 * Runs Solve with R-Stitch as the palette does (no argument: it opens its input box) and answers the
 * box with a workbench command: accept (Enter) or close (Escape). The box opens a moment after the
 * command starts, so the answer is repeated until the command returns.
 */
/** Explain Selection on the demo pair, which asks first because it cannot explain code: answered "Run anyway". */
export async function explainRunningAnyway(): Promise<Outcome | undefined> {
    const messages = answerMessages((m) => (m.modal ? "Run anyway" : undefined));
    try {
        return await vscode.commands.executeCommand<Outcome>("rstitch.explainSelection");
    } finally {
        messages.restore();
    }
}

export async function answerInputBox(answer: string): Promise<Outcome | undefined> {
    let done = false;
    const running = Promise.resolve(vscode.commands.executeCommand<Outcome | undefined>("rstitch.solve")).finally(() => {
        done = true;
    });
    for (let i = 0; i < 600 && !done; i++) {
        await new Promise((r) => setTimeout(r, 100));
        // Accept once the box is up; once accepted, the answer runs and further accepts do nothing.
        if (!done) await vscode.commands.executeCommand(answer);
    }
    return running;
}

/** One progress notification the extension opened while `driveProgress` was in place. */
export interface Progressed {
    title: string;
    cancellable: boolean;
    reports: { message?: string; increment?: number }[];
}

/**
 * Runs the extension's progress notifications (withProgress at ProgressLocation.Notification) with a
 * cancellation token the test holds: `onReport` sees each report as it is made and may `cancel()`,
 * as the notification's Cancel button would. Other locations (the status bar's) go to the real
 * function; `restore()` puts it back.
 */
export function driveProgress(onReport: (report: Progressed["reports"][number], cancel: () => void) => void = () => undefined) {
    const w = vscode.window as unknown as { withProgress: typeof vscode.window.withProgress };
    const real = w.withProgress;
    const opened: Progressed[] = [];
    w.withProgress = ((options: vscode.ProgressOptions, task: Parameters<typeof real>[1]) => {
        if (options.location !== vscode.ProgressLocation.Notification) return real.call(vscode.window, options, task);
        const source = new vscode.CancellationTokenSource();
        const shown: Progressed = { title: String(options.title), cancellable: options.cancellable === true, reports: [] };
        opened.push(shown);
        const progress = {
            report: (r: Progressed["reports"][number]) => {
                shown.reports.push(r);
                onReport(r, () => source.cancel());
            },
        };
        return Promise.resolve(task(progress, source.token)).finally(() => source.dispose());
    }) as typeof real;
    return {
        opened,
        restore() {
            w.withProgress = real;
        },
    };
}
