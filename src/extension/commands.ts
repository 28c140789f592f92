/** The palette and menu commands; each is a thin adapter over the session. */
import * as vscode from "vscode";
import { basename } from "node:path";
import type { ChatView } from "./chat-view.ts";
import { COMMANDS } from "./command-ids.ts";
import type { Conversation } from "./conversation.ts";
import type { Log } from "./log.ts";
import { askBeforeDemoRun } from "./demo-ask.ts";
import { chooseModels, type PickerContext } from "./model-picker.ts";
import { buildExplainPrompt, buildSolvePrompt } from "./prompts.ts";
import type { Outcome, Session } from "./session.ts";
import { inputBoxValue, problemFromInput } from "./solve-input.ts";
import { SHOW_TURN } from "./lm-request.ts";
import type { Turn } from "../protocol.ts";

export { COMMANDS };

/** Undo of the last Clear: run by the view's Undo button and the notification's (not in the palette). */
export const UNDO_CLEAR = "rstitch.undoClearConversation";

/**
 * The selection of the text editor the user is looking at, if any: an editor that is no longer
 * visible (closed, or behind another editor) never lends its old selection.
 */
function visibleSelection(): string | undefined {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty || !vscode.window.visibleTextEditors.includes(editor)) return undefined;
    const text = editor.document.getText(editor.selection);
    return text.trim() ? text : undefined;
}

export interface CommandDeps {
    session: Session;
    view: ChatView;
    conversation: Conversation;
    log: Log & { show(): void };
    picker: PickerContext;
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
    const { session, view, conversation, log, picker } = deps;
    /** A problem typed into the input box whose request failed: offered again next time. */
    let unanswered = "";

    /** The turns the last Clear removed, until Undo or the next Clear. */
    let cleared: Turn[] = [];

    const solve = async (problem?: unknown): Promise<Outcome | undefined> => {
        let text = typeof problem === "string" ? problem : undefined;
        const typed = text === undefined;
        if (text === undefined) {
            // A selection is never used unasked: it is offered in the input box, to edit or confirm.
            const selection = visibleSelection();
            const entered = await vscode.window.showInputBox({
                title: "Solve with R-Stitch",
                prompt:
                    selection !== undefined
                        ? "The problem, taken from the editor selection: edit it, Enter to send, Escape to cancel"
                        : "Describe the problem to solve",
                placeHolder: "e.g. What is 17 * 23?",
                value: selection !== undefined ? inputBoxValue(selection) : unanswered,
                ignoreFocusOut: true,
            });
            if (entered === undefined) return undefined;
            text = problemFromInput(entered, selection);
        }
        if (!text.trim()) return undefined;
        const built = buildSolvePrompt(text);
        if (built.truncated) log.warn(`The problem was cut to ${built.prompt.length} characters.`);
        // Typed (or confirmed) in the box just now and outside the demo pair's task: ask, as Explain does.
        // A problem passed by a caller, and the chat's Send, get the note under the answer instead.
        const misfit = typed ? session.demoMisfit("solve", built.prompt) : undefined;
        if (misfit && !(await askBeforeDemoRun(misfit, "Solve this"))) {
            unanswered = text;
            const reason = "Not solved: the embedded demo models only solve their one kind of question.";
            log.info(reason);
            return { status: "refused", reason };
        }
        await view.reveal();
        const outcome = await session.run({ kind: "solve", prompt: built.prompt });
        unanswered = outcome.status === "finished" ? "" : text;
        return outcome;
    };

    const explainSelection = async (): Promise<Outcome | undefined> => {
        const editor = vscode.window.activeTextEditor;
        if (!editor || editor.selection.isEmpty) {
            const reason = "R-Stitch: select some code in an editor first, then run Explain Selection.";
            void vscode.window.showInformationMessage(reason);
            return { status: "refused", reason };
        }
        const doc = editor.document;
        const built = buildExplainPrompt({
            text: doc.getText(editor.selection),
            languageId: doc.languageId,
            fileName: doc.isUntitled ? doc.uri.path : basename(doc.fileName),
            startLine: editor.selection.start.line + 1,
        });
        // The demo pair only knows arithmetic: ask before it writes nonsense about the code.
        const misfit = session.demoMisfit("explain", built.prompt);
        if (misfit && !(await askBeforeDemoRun(misfit, "Explain the selection"))) {
            const reason = "Not explained: the embedded demo models cannot explain code.";
            log.info(reason);
            return { status: "refused", reason };
        }
        if (built.truncated) void vscode.window.showWarningMessage("R-Stitch: the selection is long; only its beginning is explained.");
        await view.reveal();
        return session.run({ kind: "explain", prompt: built.prompt, label: built.label });
    };

    // Clear asks nothing; Undo brings the turns back.
    const clearConversation = async (): Promise<void> => {
        session.stop();
        const removed = conversation.clear();
        if (removed.length > 0) cleared = removed;
        await conversation.save();
        view.post({ type: "cleared", undoable: removed.length > 0 });
        log.info(`Conversation cleared (${removed.length} turns; Undo restores them).`);
        // The view offers Undo itself; when it is not showing, a notification does.
        if (removed.length > 0 && !view.visible) {
            void vscode.window.showInformationMessage("R-Stitch: conversation cleared.", "Undo").then((pick) => {
                if (pick) void undoClear();
            });
        }
    };

    const undoClear = async (): Promise<boolean> => {
        if (cleared.length === 0) return false;
        conversation.restore(cleared);
        cleared = [];
        await conversation.save();
        view.post({ type: "init", turns: conversation.all(), status: session.status() });
        log.info("Clear undone.");
        return true;
    };

    return [
        vscode.commands.registerCommand(COMMANDS.solve, solve),
        vscode.commands.registerCommand(COMMANDS.explainSelection, explainSelection),
        vscode.commands.registerCommand(COMMANDS.stop, () => session.stop()),
        vscode.commands.registerCommand(COMMANDS.chooseModels, () => chooseModels(picker)),
        vscode.commands.registerCommand(COMMANDS.clearConversation, clearConversation),
        vscode.commands.registerCommand(UNDO_CLEAR, undoClear),
        vscode.commands.registerCommand(COMMANDS.showLog, () => log.show()),
        vscode.commands.registerCommand(COMMANDS.focusInput, () => view.focusInput()),
        // The link under an answer given in VS Code's chat: true when the turn is still in the panel.
        vscode.commands.registerCommand(SHOW_TURN, async (turnId?: unknown): Promise<boolean> => {
            if (typeof turnId !== "string" || !conversation.get(turnId)) {
                void vscode.window.showInformationMessage("R-Stitch: that answer is no longer in the panel (it was cleared or pruned).");
                return false;
            }
            await view.reveal();
            view.post({ type: "revealTurn", turnId });
            return true;
        }),
    ];
}
