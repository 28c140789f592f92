/**
 * The chat's own commands: New Chat, the list of saved chats (reopen, rename, delete with Undo),
 * Regenerate the last answer, and edit an earlier question and resend (Undo brings the replaced turns
 * back). Thin: the conversation (conversation.ts) keeps the turns, the session runs the requests.
 */
import * as vscode from "vscode";
import type { Turn } from "../protocol.ts";
import type { ChatView } from "./chat-view.ts";
import { COMMANDS } from "./command-ids.ts";
import type { Conversation, RemovedChat } from "./conversation.ts";
import type { ChatSummary } from "./chat-store.ts";
import type { Log } from "./log.ts";
import type { Outcome, Session } from "./session.ts";

/** Not in the palette: they take arguments (the view's buttons and the Undo buttons run them). */
export const OPEN_CHAT = "rstitch.openChat";
export const EDIT_AND_RESEND = "rstitch.editAndResend";
export const UNDO_RESEND = "rstitch.undoResend";
export const UNDO_DELETE_CHAT = "rstitch.undoDeleteChat";

export interface ChatCommandDeps {
    session: Session;
    view: ChatView;
    conversation: Conversation;
    log: Log;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "today 14:05" or "3 Dec 2026, 14:05": when a chat was last used. */
function when(t: number, now = new Date()): string {
    const d = new Date(t);
    const time = d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
    return d.toDateString() === now.toDateString() ? `today ${time}` : `${d.toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" })}, ${time}`;
}

/** A quick pick draws "$(name)" as an icon: a question's text is shown as written. */
const plain = (text: string) => text.replace(/\$\(/g, "$\u200b(");

/** A turn that is part of the conversation the models remember (not a trace, not VS Code's chat). */
const inMemory = (t: Turn) => t.openedFrom === undefined && t.askedIn === undefined;

export function registerChatCommands(deps: ChatCommandDeps): vscode.Disposable[] {
    const { session, view, conversation, log } = deps;
    /** The chat the last Delete removed, until Undo or the next Delete. */
    let deleted: { chat: RemovedChat; wasCurrent: boolean } | undefined;
    /** What the last edit and resend replaced, until Undo or the conversation moves on. */
    let replaced: { chatId: string; index: number; turns: Turn[]; newTurnId?: string } | undefined;

    const showChat = () => view.post({ type: "init", turns: conversation.all(), status: session.status() });

    /** Refused: said in the view; an edited question goes back into the box. */
    const refuse = (reason: string, level: "info" | "warning", text?: string): Outcome => {
        view.post({ type: "notice", level, message: reason });
        if (text !== undefined) view.post({ type: "restorePrompt", text });
        return { status: "refused", reason };
    };
    const BUSY = "R-Stitch is answering a question. Stop it or wait for it to finish, then try again.";

    const newChat = async (): Promise<void> => {
        await session.stopAndWait();
        replaced = undefined;
        if (conversation.all().length > 0) {
            await conversation.newChat();
            log.info("New chat; the previous one is in Show Chats….");
        }
        showChat();
        await view.focusInput();
    };

    const openChat = async (id?: unknown): Promise<boolean> => {
        if (typeof id !== "string") return false;
        await session.stopAndWait();
        const problem = await conversation.open(id);
        if (problem) {
            void vscode.window.showWarningMessage(`R-Stitch: ${problem}.`);
            return false;
        }
        replaced = undefined;
        await view.reveal();
        showChat();
        return true;
    };

    const renameChat = async (id?: unknown, name?: unknown): Promise<boolean> => {
        const chatId = typeof id === "string" ? id : conversation.chatId;
        const chat = conversation.chats().chats.find((c) => c.id === chatId);
        if (!chat) {
            void vscode.window.showInformationMessage("R-Stitch: this chat has no question yet, so there is nothing to rename.");
            return false;
        }
        const entered = typeof name === "string" ? name : await vscode.window.showInputBox({
            title: "Rename Chat",
            prompt: "The chat's name in Show Chats…",
            value: chat.title,
            validateInput: (v) => (v.trim() ? undefined : "A name cannot be empty."),
        });
        const title = entered?.replace(/\s+/g, " ").trim().slice(0, 80);
        if (!title) return false;
        await conversation.rename(chatId, title);
        return true;
    };

    const deleteChat = async (id?: unknown): Promise<boolean> => {
        const chatId = typeof id === "string" ? id : conversation.chatId;
        const wasCurrent = chatId === conversation.chatId;
        if (wasCurrent) await session.stopAndWait();
        const removed = await conversation.remove(chatId);
        if (wasCurrent) showChat();
        if (!removed) return false;
        deleted = { chat: removed, wasCurrent };
        log.info(`Chat "${removed.summary.title}" deleted (Undo restores it).`);
        void vscode.window.showInformationMessage(`R-Stitch: chat "${removed.summary.title}" deleted.`, "Undo").then((pick) => {
            if (pick) void undoDeleteChat();
        });
        return true;
    };

    const undoDeleteChat = async (): Promise<boolean> => {
        if (!deleted) return false;
        const { chat, wasCurrent } = deleted;
        deleted = undefined;
        await conversation.restoreChat(chat);
        // The chat that was open comes back open, unless another has been started since.
        if (wasCurrent && conversation.all().length === 0) await openChat(chat.summary.id);
        log.info(`Chat "${chat.summary.title}" restored.`);
        return true;
    };

    const showChats = async (): Promise<void> => {
        type Item = vscode.QuickPickItem & { id?: string };
        const rename: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon("edit"), tooltip: "Rename" };
        const remove: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon("trash"), tooltip: "Delete" };
        const pick = vscode.window.createQuickPick<Item>();
        pick.title = "R-Stitch: Chats";
        pick.placeholder = "Reopen a chat (type to filter); the buttons rename or delete it";
        pick.matchOnDescription = true;
        const fill = () => {
            const { chats, problem } = conversation.chats();
            if (problem) {
                log.warn(`Saved chats: ${problem}.`);
                void vscode.window.showWarningMessage(`R-Stitch: ${problem}.`);
            }
            const row = (c: ChatSummary): Item => ({
                id: c.id,
                label: plain(c.title),
                description: `${when(c.updatedAt)}${c.id === conversation.chatId ? " · open now" : ""}`,
                detail: plural(c.turns, "turn"),
                buttons: [rename, remove],
            });
            pick.items = [{ label: "$(add) New Chat", alwaysShow: true }, ...chats.map(row)];
        };
        fill();
        pick.onDidTriggerItemButton(async (e) => {
            if (!e.item.id) return;
            if (e.button === rename) {
                pick.hide();
                await renameChat(e.item.id);
            } else {
                await deleteChat(e.item.id);
                fill();
            }
        });
        pick.onDidAccept(() => {
            const item = pick.selectedItems[0];
            pick.hide();
            if (item?.id) void openChat(item.id);
            else if (item) void newChat();
        });
        pick.onDidHide(() => pick.dispose());
        pick.show();
    };

    /** The last answer again: its turn is replaced, and the models see the conversation before it. */
    const regenerate = async (turnId?: unknown): Promise<Outcome | undefined> => {
        if (session.busy) return refuse(BUSY, "warning");
        const last = conversation.all().at(-1);
        if (!last || !inMemory(last) || (typeof turnId === "string" && turnId !== last.id)) return refuse("Only the last answer of this chat can be regenerated.", "info");
        conversation.dropFrom(last.id);
        replaced = undefined;
        showChat();
        log.info("Regenerating the last answer.");
        return session.run({ kind: last.kind, prompt: last.prompt, ...(last.label ? { label: last.label } : {}) });
    };

    /** An earlier question, edited: it and the turns after it give way to the new question's answer. */
    const editAndResend = async (turnId?: unknown, prompt?: unknown): Promise<Outcome | undefined> => {
        if (typeof turnId !== "string" || typeof prompt !== "string" || !prompt.trim()) return undefined;
        if (session.busy) return refuse(BUSY, "warning", prompt);
        const index = conversation.all().findIndex((t) => t.id === turnId);
        const edited = conversation.all()[index];
        if (!edited || !inMemory(edited)) return refuse("That question is no longer in this chat.", "info", prompt);
        const text = prompt.trim();
        const turns = conversation.dropFrom(turnId);
        const undo = { chatId: conversation.chatId, index, turns } as NonNullable<typeof replaced>;
        replaced = undo;
        showChat();
        log.info(`Question edited and resent; ${plural(turns.length, "turn")} replaced (Undo restores them).`);
        // An Explain prompt edited is a question of its own; unchanged, it stays an Explain with its label.
        const same = text === edited.prompt;
        return session.run({
            kind: same ? edited.kind : "solve",
            prompt: text,
            ...(same && edited.label ? { label: edited.label } : {}),
            onStart: (turn) => {
                undo.newTurnId = turn.id;
                view.post({ type: "undoOffer", action: "resend", message: `Question edited: ${plural(turns.length, "turn")} replaced.` });
            },
        });
    };

    const undoResend = async (): Promise<boolean> => {
        const r = replaced;
        if (!r || r.chatId !== conversation.chatId) return false;
        const now = conversation.all();
        // Only while the conversation is as the resend left it (no question asked since).
        if (now.length > r.index + 1 || (now.length === r.index + 1 && now[r.index]!.id !== r.newTurnId)) {
            void vscode.window.showInformationMessage("R-Stitch: the chat has moved on since the edit; there is nothing to undo.");
            replaced = undefined;
            return false;
        }
        await session.stopAndWait();
        replaced = undefined;
        conversation.replaceFrom(r.index, r.turns);
        await conversation.save();
        showChat();
        log.info("Edit and resend undone.");
        return true;
    };

    // The open chat's name beside the view's title.
    conversation.onTitle = (title) => view.describe(title);
    view.describe(conversation.all().length > 0 ? conversation.title() : "");
    return [
        vscode.commands.registerCommand(COMMANDS.newChat, newChat),
        vscode.commands.registerCommand(COMMANDS.showChats, showChats),
        vscode.commands.registerCommand(COMMANDS.renameChat, renameChat),
        vscode.commands.registerCommand(COMMANDS.deleteChat, deleteChat),
        vscode.commands.registerCommand(COMMANDS.regenerate, regenerate),
        vscode.commands.registerCommand(OPEN_CHAT, openChat),
        vscode.commands.registerCommand(EDIT_AND_RESEND, editAndResend),
        vscode.commands.registerCommand(UNDO_RESEND, undoResend),
        vscode.commands.registerCommand(UNDO_DELETE_CHAT, undoDeleteChat),
    ];
}
