/**
 * "Calibrate Models…": runs the configured local pair (the one a request loads) on prompts, the
 * pair's built-in ones or the user's JSONL file, under a cancellable progress notification, and
 * writes the calibration into the extension's storage (storedCalibrationPath), where routing looks
 * first. Never beside the models or into the workspace; a cancelled run writes nothing.
 */
import * as vscode from "vscode";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { BUILT_IN_PROMPTS, builtInPrompts, PromptFileError, readPromptFile, type PromptLine } from "../evaluation/calibration-prompts.ts";
import { calibrateOnPrompts, defaultTarget } from "../evaluation/calibration-run.ts";
import { ROUTING_TABLE } from "../modes.ts";
import type { Calibration } from "./decoder.ts";
import type { Log } from "./log.ts";
import { pairLabel, pairSpec } from "./model-manager.ts";
import { storedCalibrationPath } from "./pair-calibration.ts";
import { pairProblem } from "./pair-problem.ts";
import type { Session } from "./session.ts";
import { readSettings } from "./settings.ts";
import { SECTION, SETTING_KEYS } from "./settings-schema.ts";

/** What the command did; also what the in-host tests read. Undefined: the user closed a pick. */
export type CalibrateOutcome =
    | { status: "done"; file: string; calibration: Calibration; message: string }
    | { status: "cancelled" | "refused" | "failed"; reason: string }
    | undefined;

/**
 * When run programmatically (executeCommand), an optional `{ problems?: number, file?: string }`:
 * calibrate on the first `problems` prompts (default: 200 built-in ones, or every line of the file),
 * and take the prompts from `file` instead of asking. From the palette or a menu: asks.
 */
export interface CalibrateArgs {
    problems?: number;
    file?: string;
}

export interface CalibrateDeps {
    session: Session;
    extensionRoot: string;
    /** The extension's calibrations folder (in its global storage). */
    calibrationsDir: string;
    log: Log;
}

export const CANCELLED = "Calibration cancelled; nothing was written.";
const USE_ROUTER = "Use the Router";

function argsOf(raw: unknown): CalibrateArgs {
    const a = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
    return {
        ...(Number.isInteger(a.problems) && (a.problems as number) >= 1 ? { problems: a.problems as number } : {}),
        ...(typeof a.file === "string" ? { file: a.file } : {}),
    };
}

/** The prompts: built-in ones for the project's pairs, or a JSONL file the user picks. */
async function pickPrompts(builtIn: { lines: PromptLine[]; source: string } | undefined): Promise<{ builtIn: true } | { file: string } | undefined> {
    type Item = vscode.QuickPickItem & { pick: "builtIn" | "file" };
    const items: Item[] = [
        ...(builtIn ? [{ label: `Built-in prompts (${Math.min(builtIn.lines.length, BUILT_IN_PROMPTS)})`, description: "questions of the demo pair's kind, with answers", pick: "builtIn" as const }] : []),
        { label: "Choose a JSONL file…", description: 'one {"prompt": "..."} per line, questions like yours; an "answer" per line aims at accuracy', pick: "file" },
    ];
    const chosen = await vscode.window.showQuickPick(items, { title: "R-Stitch: Calibrate Models", placeHolder: "The prompts to calibrate the pair on" });
    if (!chosen) return undefined;
    if (chosen.pick === "builtIn") return { builtIn: true };
    const uri = (await vscode.window.showOpenDialog({
        title: "Prompts to calibrate on",
        openLabel: "Calibrate",
        canSelectMany: false,
        filters: { "JSONL prompts": ["jsonl"], "All files": ["*"] },
    }))?.[0];
    return uri ? { file: uri.fsPath } : undefined;
}

/** One line: the τ for the target, and what the router saves against it. */
function summary(pair: string, c: Calibration): string {
    const t = c.threshold.measured.handOvers, r = c.router.measured.handOvers;
    const router = t > 0 && r < t
        ? `the router makes ${Math.round((1 - r / t) * 100)}% fewer hand-overs (${r.toFixed(1)} per answer, against ${t.toFixed(1)})`
        : `the router makes no fewer hand-overs than τ alone (${r.toFixed(1)} per answer)`;
    return `Calibrated ${pair} on ${c.prompts} prompts: τ ${c.threshold.tau} for ${c.target.text}; ${router}.`;
}

export function calibrateModelsCommand(deps: CalibrateDeps) {
    return async (raw?: unknown): Promise<CalibrateOutcome> => {
        const { session, extensionRoot, calibrationsDir, log } = deps;
        const args = argsOf(raw);
        const refuse = (reason: string): CalibrateOutcome => {
            log.warn(reason);
            void vscode.window.showWarningMessage(`R-Stitch: ${reason}`);
            return { status: "refused", reason };
        };
        if (session.busy) return refuse("R-Stitch is answering a question; calibrate once it is done.");
        const settings = readSettings().settings;
        // The pair a request would load, from the settings the session trusts (Restricted Mode included).
        const spec = pairSpec(settings, extensionRoot);
        if (spec.llmServerUrl) return refuse("Calibrate Models needs both models on this machine, and the LLM runs on a server (rstitch.LLMServerURL).");
        const problem = pairProblem(spec, existsSync);
        if (problem) return refuse(`there is no local pair to calibrate: ${problem.detail}`);

        const shipped = builtInPrompts(extensionRoot, spec.slmPath);
        let lines: PromptLine[];
        let source: string;
        try {
            const builtIn = shipped && args.file === undefined ? { lines: readPromptFile(shipped.path).slice(0, BUILT_IN_PROMPTS), source: shipped.source } : undefined;
            const chosen = args.file !== undefined ? { file: args.file } : await pickPrompts(builtIn);
            if (!chosen) return undefined;
            // A file of the user's: all its prompts unless told; the built-in ones: the CLI's 200.
            ({ lines, source } = "file" in chosen ? { lines: readPromptFile(chosen.file), source: basename(chosen.file) } : builtIn!);
        } catch (e) {
            if (!(e instanceof PromptFileError)) throw e;
            return refuse(e.message);
        }
        if (args.problems !== undefined) lines = lines.slice(0, args.problems);
        const n = lines.length;
        const target = defaultTarget(lines.every((l) => l.answer !== undefined));
        const file = storedCalibrationPath(calibrationsDir, spec.slmPath, spec.llmPath);
        const label = pairLabel(spec);
        log.info(`Calibrating ${label} on ${n} prompts (${source}) into ${file}.`);

        const fail = (why: string): CalibrateOutcome => {
            log.error(`Calibration failed: ${why}`);
            void vscode.window.showErrorMessage(`R-Stitch: calibration failed: ${why}`);
            return { status: "failed", reason: why };
        };
        let cancelled = false;
        let run;
        try {
            run = await vscode.window.withProgress(
                { location: vscode.ProgressLocation.Notification, title: `R-Stitch: Calibrating ${n} prompts…`, cancellable: true },
                (progress, token) => session.withPair(spec, "calibrating the models", async (pair, stopped) => {
                    const abort = new AbortController();
                    const stop = () => {
                        cancelled = true;
                        abort.abort();
                    };
                    token.onCancellationRequested(stop);
                    stopped.addEventListener("abort", stop);
                    if (token.isCancellationRequested) stop();
                    progress.report({ message: `0/${n}` });
                    return calibrateOnPrompts(pair, {
                        lines, target, budget: settings.tokenBudget, source, signal: abort.signal,
                        onProgress: (done) => progress.report({ increment: 100 / n, message: `${done}/${n}` }),
                    });
                }),
            );
        } catch (e) {
            return fail(e instanceof Error ? e.message : String(e));
        }
        if (!run.ok) return fail(run.reason);
        if (cancelled || !run.value) {
            log.info(CANCELLED);
            void vscode.window.showInformationMessage(`R-Stitch: ${CANCELLED}`);
            return { status: "cancelled", reason: CANCELLED };
        }

        const calibration = run.value;
        // Written whole or not at all: routing never reads a half-written file.
        const partial = `${file}.${process.pid}.part`;
        try {
            mkdirSync(dirname(file), { recursive: true });
            writeFileSync(partial, JSON.stringify(calibration, null, 2) + "\n");
            renameSync(partial, file);
        } catch (e) {
            rmSync(partial, { force: true });
            const reason = `could not write ${file}: ${e instanceof Error ? e.message : String(e)}`;
            log.error(reason);
            void vscode.window.showErrorMessage(`R-Stitch: ${reason}`);
            return { status: "failed", reason };
        }
        const message = summary(label, calibration);
        log.info(`${message} Wrote ${file}.`);
        // Router or budget routing already uses the new file from the next answer on.
        if (ROUTING_TABLE[readSettings().settings.routing].needsCalibration) void vscode.window.showInformationMessage(`R-Stitch: ${message}`);
        else {
            void vscode.window.showInformationMessage(`R-Stitch: ${message}`, USE_ROUTER).then((pick) => {
                // The user's settings, never the workspace's.
                if (pick === USE_ROUTER) void vscode.workspace.getConfiguration(SECTION).update(SETTING_KEYS.routing, "router", vscode.ConfigurationTarget.Global);
            });
        }
        return { status: "done", file, calibration, message };
    };
}
