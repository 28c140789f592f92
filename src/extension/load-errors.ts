/** Turns a failed pair load into an error message whose buttons fix the cause. */
import * as vscode from "vscode";
import type { PairLoadFailure } from "./decoder.ts";
import type { PairSpec } from "./model-manager.ts";
import { COMMANDS } from "./command-ids.ts";
import { chooseModelFile, useDemoModels, type Role } from "./model-picker.ts";
import { settingId } from "./settings-schema.ts";

/** Which configured model a failing path belongs to (undefined when it matches neither). */
function roleOf(path: string | undefined, spec: PairSpec): Role | undefined {
    if (path === undefined) return undefined;
    if (path === spec.slmPath) return "slm";
    if (path === spec.llmPath) return "llm";
    return undefined;
}

export async function showLoadFailure(failure: PairLoadFailure, spec: PairSpec): Promise<void> {
    const role = roleOf(failure.path, spec);
    const isDemo = role !== undefined && spec.demo[role];
    const usingDemo = spec.demo.slm && spec.demo.llm;
    let message = `R-Stitch: ${failure.message}`;
    const buttons: string[] = [];

    switch (failure.code) {
        case "missing-file":
        case "bad-file":
            if (isDemo) message += " The embedded demo models are missing or damaged in this installation; choose your own GGUF files.";
            buttons.push("Choose File…");
            if (!usingDemo) buttons.push("Use Demo Models");
            break;
        case "tokenizer-mismatch":
            message += " The two models must share one tokenizer (for example two sizes of one model family).";
            buttons.push("Choose Models…");
            if (!usingDemo) buttons.push("Use Demo Models");
            break;
        case "load-failed":
            buttons.push("Show Log", "Choose Models…");
            break;
        case "server":
            buttons.push("Open Settings");
            if (/API key/i.test(failure.message)) buttons.push("Set API Key…");
            break;
    }
    if (failure.code === "tokenizer-mismatch" && spec.llmServerUrl) buttons.splice(0, buttons.length, "Open Settings");

    const pick = await vscode.window.showErrorMessage(message, ...buttons);
    if (pick === "Choose File…") {
        if (role) await chooseModelFile(role);
        else await vscode.commands.executeCommand(COMMANDS.chooseModels);
    } else if (pick === "Use Demo Models") await useDemoModels();
    else if (pick === "Choose Models…") await vscode.commands.executeCommand(COMMANDS.chooseModels);
    else if (pick === "Show Log") await vscode.commands.executeCommand("rstitch.showLog");
    else if (pick === "Open Settings") await vscode.commands.executeCommand("workbench.action.openSettings", `@id:${settingId("llmServerUrl")} @id:${settingId("llmServerTimeout")}`);
    else if (pick === "Set API Key…") await vscode.commands.executeCommand("rstitch.setLlmServerApiKey");
}
