/**
 * Before the embedded demo pair runs a request it cannot answer (Explain Selection: it only knows
 * arithmetic), the user is asked: Run anyway, or get real models first. A modal, since the command
 * waits on it; one question per request, never a notification after the nonsense.
 */
import * as vscode from "vscode";
import { COMMANDS } from "./command-ids.ts";
import { demoLimitMessage, type DemoMisfit } from "./demo-limits.ts";

export const RUN_ANYWAY = "Run anyway";
export const DOWNLOAD = "Download Recommended Models…";
export const CHOOSE = "Choose Models…";

/** True to run the request with the demo pair; false when the user chose other models or dismissed the question. */
export async function askBeforeDemoRun(fit: DemoMisfit, what: string): Promise<boolean> {
    const pick = await vscode.window.showWarningMessage(
        `R-Stitch: ${what} with the embedded demo models?`,
        { modal: true, detail: demoLimitMessage(fit, false) },
        RUN_ANYWAY, DOWNLOAD, CHOOSE,
    );
    // Awaited: the request ends once the user is done choosing (nothing runs meanwhile).
    if (pick === DOWNLOAD) await vscode.commands.executeCommand(COMMANDS.downloadModels);
    else if (pick === CHOOSE) await vscode.commands.executeCommand(COMMANDS.chooseModels);
    return pick === RUN_ANYWAY;
}
