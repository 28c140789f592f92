/**
 * The current chat, shown in the chat view, owned by the host so it survives the view being hidden,
 * disposed or the window reloaded. Each chat is saved in the chat store (chat-store.ts), trimmed to
 * the newest turns; which chat a workspace had open is kept in its workspace state. New Chat, reopen,
 * rename and delete switch or change the chat here; the turns' own life (add, stream, finish) is as
 * it always was.
 */
import { randomUUID } from "node:crypto";
import type { StitchStats, StopReason, TokenTuple, Turn, TurnSwitch } from "../protocol.ts";
import { ChatStore, MAX_STORED_TOKENS, MAX_TURNS, storedTurn, titleFrom, type ChatSummary, type KeyValueStore } from "./chat-store.ts";
import { replyOf, type ChatMessage } from "./decoder.ts";

/**
 * The conversation the models are given before a new question: every answered turn (a stopped one
 * too: what it wrote is what the user saw), oldest first, each answer without its thinking. Failed
 * turns, traces opened from files and questions asked in VS Code's chat (that chat has its own
 * conversation) are not part of it.
 */
export function conversationMessages(turns: readonly Turn[]): ChatMessage[] {
    const messages: ChatMessage[] = [];
    for (const t of turns) {
        if (t.state !== "done" || t.openedFrom !== undefined || t.askedIn !== undefined) continue;
        const text = replyOf(t.tokens.map((tok) => tok[0]).join(""));
        if (!text.trim()) continue;
        messages.push({ role: "user", text: t.prompt }, { role: "assistant", text });
    }
    return messages;
}

export { MAX_STORED_TOKENS, MAX_TURNS, type KeyValueStore };

/** The chat a workspace had open. */
const CURRENT_KEY = "rstitch.currentChat.v1";
/** Where earlier versions kept their one conversation (per workspace): moved into the store once. */
const LEGACY_KEY = "rstitch.conversation.v1";

/** Keeps the newest turns within both limits (always at least the newest one). */
export function trimTurns(turns: readonly Turn[], maxTurns = MAX_TURNS, maxTokens = MAX_STORED_TOKENS): Turn[] {
    const kept: Turn[] = [];
    let tokens = 0;
    for (let i = turns.length - 1; i >= 0 && kept.length < maxTurns; i--) {
        tokens += turns[i].tokens.length;
        if (kept.length > 0 && tokens > maxTokens) break;
        kept.unshift(turns[i]);
    }
    return kept;
}

/** A turn still "running" when the window went away was cut off. */
function interrupted(turns: readonly Turn[]): Turn[] {
    return turns.map((t) => (t.state === "running" ? { ...t, state: "error", error: "Interrupted: the window was closed or reloaded while this answer was streaming." } : t));
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** A deleted chat, kept for Undo. */
export interface RemovedChat {
    summary: ChatSummary;
    turns: Turn[];
}

export class Conversation {
    private id: string = randomUUID();
    private createdAt: number;
    private updatedAt: number;
    /** The name the user gave this chat (Rename), else its title follows its first question. */
    private renamedTo: string | undefined;
    private turns: Turn[] = [];
    private saveTimer: ReturnType<typeof setTimeout> | undefined;
    /** Reasons the store could not be read at start, to be said once (the caller reports them). */
    readonly problems: string[] = [];
    /** Called when the open chat's title changes ("" for an empty chat): the view shows it. */
    onTitle: ((title: string) => void) | undefined;
    private shownTitle = "";

    constructor(
        private readonly store: ChatStore,
        private readonly workspace: KeyValueStore,
        private readonly now: () => number = Date.now,
    ) {
        this.createdAt = this.updatedAt = now();
        const listed = store.list();
        if (listed.problem) this.problems.push(listed.problem);
        const current = workspace.get<unknown>(CURRENT_KEY);
        const summary = listed.chats.find((c) => c.id === current);
        if (summary) {
            const read = store.read(summary.id);
            if ("turns" in read) this.load(summary, read.turns);
            else this.problems.push(read.problem);
        }
        const legacy = workspace.get<unknown>(LEGACY_KEY);
        if (legacy !== undefined) {
            const turns = Array.isArray(legacy) ? legacy.map(storedTurn).filter((t) => t !== undefined) : [];
            if (this.turns.length === 0 && turns.length > 0) {
                this.turns = interrupted(trimTurns(turns));
                this.saveSoon();
            }
            void workspace.update(LEGACY_KEY, undefined);
        }
    }

    /** The current chat's id. */
    get chatId(): string {
        return this.id;
    }

    title(): string {
        return this.renamedTo ?? titleFrom(this.turns);
    }

    /** The chats to reopen (the current one included once it has a turn), most recent first. */
    chats(): { chats: ChatSummary[]; problem?: string } {
        const listed = this.store.list();
        const others = listed.chats.filter((c) => c.id !== this.id);
        return { ...listed, chats: this.turns.length > 0 ? [this.summary(), ...others] : others };
    }

    all(): Turn[] {
        return this.turns;
    }

    get(id: string): Turn | undefined {
        return this.turns.find((t) => t.id === id);
    }

    add(turn: Turn): void {
        this.turns.push(turn);
        this.turns = trimTurns(this.turns, MAX_TURNS, Number.POSITIVE_INFINITY);
        this.saveSoon();
    }

    /** Tokens (with their vocabulary ids, when known) and the hand-overs among them, as they stream. */
    appendTokens(id: string, tokens: TokenTuple[], ids?: number[], switches?: TurnSwitch[]): void {
        const t = this.get(id);
        if (!t) return;
        for (const tok of tokens) t.tokens.push(tok);
        // Ids stay parallel to the tokens, or are dropped for the whole turn (it cannot be exported then).
        if (t.tokenIds && ids?.length === tokens.length) for (const i of ids) t.tokenIds.push(i);
        else delete t.tokenIds;
        if (switches?.length) (t.switches ??= []).push(...switches);
    }

    finish(id: string, answer: string | null, stopReason: StopReason, stats: StitchStats): void {
        const t = this.get(id);
        if (!t) return;
        Object.assign(t, { state: "done", answer, stopReason, stats } satisfies Partial<Turn>);
        this.saveSoon();
    }

    fail(id: string, message: string): void {
        const t = this.get(id);
        if (!t) return;
        Object.assign(t, { state: "error", error: message } satisfies Partial<Turn>);
        this.saveSoon();
    }

    /** Empties the conversation; returns the turns it held (for Undo). */
    clear(): Turn[] {
        const cleared = this.turns;
        this.turns = [];
        this.saveSoon();
        return cleared;
    }

    /** Undo of a Clear: the cleared turns come back before any asked since. */
    restore(cleared: readonly Turn[]): void {
        const since = this.turns.filter((t) => !cleared.some((c) => c.id === t.id));
        // A turn that was answering when Clear stopped it never got its end: it was stopped.
        cleared = cleared.map((t) => (t.state === "running" ? { ...t, state: "error", error: "Stopped: the conversation was cleared." } : t));
        this.turns = trimTurns([...cleared, ...since], MAX_TURNS, Number.POSITIVE_INFINITY);
        this.saveSoon();
    }

    /** Removes a turn and every turn after it (Regenerate, edit and resend); returns them, oldest first. */
    dropFrom(turnId: string): Turn[] {
        const i = this.turns.findIndex((t) => t.id === turnId);
        if (i < 0) return [];
        const dropped = this.turns.splice(i);
        this.saveSoon();
        return dropped;
    }

    /** Undo of an edit and resend: the turns from `index` on are the ones it replaced again. */
    replaceFrom(index: number, turns: readonly Turn[]): void {
        this.turns = [...this.turns.slice(0, index), ...turns];
        this.saveSoon();
    }

    /** Saves this chat and starts an empty one. */
    async newChat(): Promise<void> {
        await this.save();
        this.id = randomUUID();
        this.createdAt = this.updatedAt = this.now();
        this.renamedTo = undefined;
        this.turns = [];
        this.titleChanged();
        await this.workspace.update(CURRENT_KEY, this.id);
    }

    /** Saves this chat and makes a stored one current; returns why not when it cannot be read. */
    async open(id: string): Promise<string | undefined> {
        if (id === this.id) return undefined;
        const summary = this.store.summary(id);
        if (!summary) return "that chat is no longer saved";
        const read = this.store.read(id);
        if ("problem" in read) return read.problem;
        await this.save();
        this.load(summary, read.turns);
        await this.workspace.update(CURRENT_KEY, this.id);
        return undefined;
    }

    async rename(id: string, title: string): Promise<void> {
        if (id !== this.id) return this.store.rename(id, title);
        this.renamedTo = title;
        this.touch();
        this.titleChanged();
        await this.save();
    }

    /** Deletes a chat (the current one: an empty chat takes its place); returns it, for Undo. */
    async remove(id: string): Promise<RemovedChat | undefined> {
        let removed: RemovedChat | undefined;
        if (id === this.id) {
            removed = { summary: this.summary(), turns: this.turns };
            this.turns = [];
            this.clearTimer();
            await this.store.remove(id);
            await this.newChat();
        } else {
            const summary = this.store.summary(id);
            const read = this.store.read(id);
            if (!summary) return undefined;
            removed = { summary, turns: "turns" in read ? read.turns : [] };
            await this.store.remove(id);
        }
        return removed.turns.length > 0 ? removed : undefined;
    }

    /** Undo of a delete: the chat is saved again (not opened). */
    async restoreChat(chat: RemovedChat): Promise<void> {
        await this.store.write(chat.summary, chat.turns);
    }

    /** Writes now (also called on deactivate). An empty chat is not listed. */
    async save(): Promise<void> {
        this.clearTimer();
        if (this.turns.length === 0) {
            if (this.store.summary(this.id)) await this.store.remove(this.id);
        } else {
            const stored = trimTurns(this.turns).map((t) => ({
                ...t,
                tokens: t.tokens.map(([text, source, h, handover]): TokenTuple =>
                    handover === undefined ? [text, source, round3(h)] : [text, source, round3(h), round3(handover)],
                ),
            }));
            // The list counts the turns the file holds (the oldest may have been trimmed to fit).
            await this.store.write({ ...this.summary(), turns: stored.length }, stored);
        }
        await this.workspace.update(CURRENT_KEY, this.id);
    }

    private summary(): ChatSummary {
        return {
            id: this.id,
            title: this.title(),
            ...(this.renamedTo !== undefined ? { renamed: 1 as const } : {}),
            createdAt: this.createdAt,
            updatedAt: this.updatedAt,
            turns: this.turns.length,
        };
    }

    private load(summary: ChatSummary, turns: Turn[]): void {
        this.clearTimer();
        this.id = summary.id;
        this.createdAt = summary.createdAt;
        this.updatedAt = summary.updatedAt;
        this.renamedTo = summary.renamed ? summary.title : undefined;
        this.turns = interrupted(turns);
        this.titleChanged();
    }

    private titleChanged(): void {
        const title = this.turns.length > 0 ? this.title() : "";
        if (title === this.shownTitle) return;
        this.shownTitle = title;
        this.onTitle?.(title);
    }

    private touch(): void {
        this.updatedAt = Math.max(this.now(), this.updatedAt);
    }

    private clearTimer(): void {
        if (this.saveTimer) clearTimeout(this.saveTimer);
        this.saveTimer = undefined;
    }

    private saveSoon(): void {
        this.touch();
        this.titleChanged();
        if (this.saveTimer) return;
        this.saveTimer = setTimeout(() => void this.save().catch(() => undefined), 200);
    }
}
