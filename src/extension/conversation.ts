/**
 * The conversation shown in the chat view, owned by the host so it survives the view being hidden,
 * disposed or the window reloaded. Persisted in workspace state (a `Memento`-like store), trimmed to
 * the newest turns so the stored state stays small.
 */
import type { StitchStats, StopReason, TokenTuple, Turn, TurnSwitch } from "../protocol.ts";
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

export interface KeyValueStore {
    get<T>(key: string): T | undefined;
    update(key: string, value: unknown): PromiseLike<void>;
}

const STORE_KEY = "rstitch.conversation.v1";
export const MAX_TURNS = 30;
export const MAX_STORED_TOKENS = 40_000;

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

function isTurn(v: unknown): v is Turn {
    const t = v as Turn;
    return typeof t === "object" && t !== null && typeof t.id === "string" && typeof t.prompt === "string" && Array.isArray(t.tokens);
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export class Conversation {
    private turns: Turn[];
    private saveTimer: ReturnType<typeof setTimeout> | undefined;

    constructor(private readonly store: KeyValueStore) {
        const saved = store.get<unknown[]>(STORE_KEY);
        // A turn still "running" when the window went away was cut off.
        this.turns = (Array.isArray(saved) ? saved.filter(isTurn) : []).map((t) =>
            t.state === "running" ? { ...t, state: "error", error: "Interrupted: the window was closed or reloaded while this answer was streaming." } : t,
        );
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

    /** Writes now (also called on deactivate). */
    async save(): Promise<void> {
        if (this.saveTimer) clearTimeout(this.saveTimer);
        this.saveTimer = undefined;
        const stored = trimTurns(this.turns).map((t) => ({
            ...t,
            tokens: t.tokens.map(([text, source, h, handover]): TokenTuple =>
                handover === undefined ? [text, source, round3(h)] : [text, source, round3(h), round3(handover)],
            ),
        }));
        await this.store.update(STORE_KEY, stored);
    }

    private saveSoon(): void {
        if (this.saveTimer) return;
        this.saveTimer = setTimeout(() => void this.save().catch(() => undefined), 200);
    }
}
