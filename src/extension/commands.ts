/** The palette and menu commands; each is a thin adapter over the session. */
import * as vscode from "vscode";
import { basename } from "node:path";
import type { ChatView } from "./chat-view.ts";
import { COMMANDS } from "./command-ids.ts";
import type { Conversation } from "./conversation.ts";
import type { Log } from "./log.ts";
import { chooseModels } from "./model-picker.ts";
import { buildExplainPrompt, buildSolvePrompt } from "./prompts.ts";
import type { Outcome, Session } from "./session.ts";

export { COMMANDS };

export interface CommandDeps {
    session: Session;
    view: ChatView;
    conversation: Conversation;
    log: Log & { show(): void };
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
    const { session, view, conversation, log } = deps;
    /** A problem typed into the input box whose request failed: offered again next time. */
    let unanswered = "";

    const solve = async (problem?: unknown): Promise<Outcome | undefined> => {
        let text = typeof problem === "string" ? problem : undefined;
        const editor = vscode.window.activeTextEditor;
        if (text === undefined && editor && !editor.selection.isEmpty) text = editor.document.getText(editor.selection);
        if (text === undefined) {
            text = await vscode.window.showInputBox({
                title: "Solve with R-Stitch",
                prompt: "Describe the problem to solve",
                placeHolder: "e.g. What is 17 * 23?",
                value: unanswered,
                ignoreFocusOut: true,
            });
        }
        if (!text?.trim()) return undefined;
        const built = buildSolvePrompt(text);
        if (built.truncated) log.warn(`The problem was cut to ${built.prompt.length} characters.`);
        await view.reveal();
        const outcome = await session.run({ kind: "solve", prompt: built.prompt });
        unanswered = outcome.status === "finished" ? "" : text;
        return outcome;
    };

    const explainSelection = async (): Promise<Outcome | undefined> => {
        const editor = vscode.window.activeTextEditor;
        if (!editor || editor.selection.isEmpty) {
            void vscode.window.showInformationMessage("R-Stitch: select some code in an editor first, then run Explain Selection.");
            return undefined;
        }
        const doc = editor.document;
        const built = buildExplainPrompt({
            text: doc.getText(editor.selection),
            languageId: doc.languageId,
            fileName: doc.isUntitled ? doc.uri.path : basename(doc.fileName),
            startLine: editor.selection.start.line + 1,
        });
        if (built.truncated) void vscode.window.showWarningMessage("R-Stitch: the selection is long; only its beginning is explained.");
        await view.reveal();
        return session.run({ kind: "explain", prompt: built.prompt, label: built.label });
    };

    const clearConversation = async (): Promise<void> => {
        session.stop();
        conversation.clear();
        await conversation.save();
        view.post({ type: "cleared" });
        log.info("Conversation cleared.");
    };

    return [
        vscode.commands.registerCommand(COMMANDS.solve, solve),
        vscode.commands.registerCommand(COMMANDS.explainSelection, explainSelection),
        vscode.commands.registerCommand(COMMANDS.stop, () => session.stop()),
        vscode.commands.registerCommand(COMMANDS.chooseModels, chooseModels),
        vscode.commands.registerCommand(COMMANDS.clearConversation, clearConversation),
        vscode.commands.registerCommand(COMMANDS.showLog, () => log.show()),
        vscode.commands.registerCommand(COMMANDS.focusInput, () => view.focusInput()),
    ];
}
