/**
 * The webview's copy of the conversation, updated by host messages. Pure (no DOM), so the protocol
 * handling is unit-tested in Node; the renderer reads from it.
 */
import type { HostStatus, HostToWebview, Turn } from "../src/protocol.ts";
import { keptStats } from "../src/turn-counts.ts";
import { savedTurns } from "./validate.ts";

export interface Notice {
    level: "info" | "warning" | "error";
    message: string;
}

/** What the webview keeps across reloads via `vscode.setState`. */
export interface SavedState {
    turns: Turn[];
    draft: string;
    /** "Show tokens": the raw stream instead of rendered markdown. */
    showTokens?: boolean;
    /** The entropy timeline unfolded (true) or a thin strip (the default). */
    timelineOpen?: boolean;
    /** The questions sent from the box, oldest first (Up recalls them). */
    sent?: string[];
}

/** Questions kept for Up. */
export const MAX_SENT = 50;

export class ChatModel {
    turns: Turn[] = [];
    status: HostStatus | undefined;
    notice: Notice | undefined;
    draft = "";
    showTokens = false;
    timelineOpen = false;
    /** Clear was just pressed: the view offers Undo until the next request or a few seconds pass. */
    undoClear = false;
    /** An edit and resend replaced turns: the view offers Undo until the next question. */
    undoResend: string | undefined;
    /** The questions sent from the box, oldest first. */
    sent: string[] = [];
    /** The turn the user pressed Stop on: tokens still in flight for it are dropped, not shown. */
    private stoppedTurnId: string | undefined;

    constructor(saved?: Partial<SavedState>) {
        this.turns = savedTurns(saved?.turns);
        if (typeof saved?.draft === "string") this.draft = saved.draft;
        this.showTokens = saved?.showTokens === true;
        this.timelineOpen = saved?.timelineOpen === true;
        if (Array.isArray(saved?.sent)) this.sent = saved.sent.filter((q): q is string => typeof q === "string").slice(-MAX_SENT);
    }

    /** Stop pressed: from now on the running turn takes no more tokens. Returns that turn, if any. */
    stopRunning(): Turn | undefined {
        const t = this.running;
        this.stoppedTurnId = t?.id;
        return t;
    }

    isStopped(turnId: string): boolean {
        return this.stoppedTurnId === turnId;
    }

    get running(): Turn | undefined {
        return this.turns.find((t) => t.state === "running");
    }

    find(id: string): Turn | undefined {
        return this.turns.find((t) => t.id === id);
    }

    /** Applies one host message; returns the turn it touched, if any. */
    apply(msg: HostToWebview): Turn | undefined {
        switch (msg.type) {
            case "init":
                this.undoClear &&= msg.turns.length === 0;
                this.undoResend = undefined;
                this.turns = msg.turns;
                this.status = msg.status;
                return undefined;
            case "status":
                this.status = msg.status;
                return undefined;
            case "turnStart":
                this.notice = undefined;
                this.undoClear = false;
                this.undoResend = undefined;
                this.turns.push({ ...msg.turn, tokens: [...msg.turn.tokens], switches: [...(msg.turn.switches ?? [])] });
                return this.turns[this.turns.length - 1];
            case "tokens": {
                if (this.isStopped(msg.turnId)) return undefined;
                const t = this.find(msg.turnId);
                if (!t || t.state !== "running") return undefined;
                // push(...tokens) would overflow the stack on a huge batch.
                for (const tok of msg.tokens) t.tokens.push(tok);
                if (msg.switches) for (const s of msg.switches) (t.switches ??= []).push(s);
                return t;
            }
            case "turnDone": {
                const t = this.find(msg.turnId);
                // A turn the user stopped shows what it had at the click: its stats count those tokens
                // (the host counts the same when it got the Stop in time; see src/turn-counts.ts).
                const stats = t && this.isStopped(t.id) ? keptStats(msg.stats, t.tokens, t.switches ?? []) : msg.stats;
                if (t) Object.assign(t, { state: "done", answer: msg.answer, stopReason: msg.stopReason, stats }, msg.demoNote ? { demoNote: msg.demoNote } : {});
                return t;
            }
            case "turnError": {
                const t = this.find(msg.turnId);
                if (t) Object.assign(t, { state: "error", error: msg.message });
                return t;
            }
            case "notice":
                this.notice = { level: msg.level, message: msg.message };
                return undefined;
            case "restorePrompt":
                // Never overwrite something new the user has started typing.
                if (this.draft.trim() === "" || this.draft.trim() === msg.text.trim()) this.draft = msg.text;
                return undefined;
            case "cleared":
                this.turns = [];
                this.notice = undefined;
                this.undoClear = msg.undoable === true;
                this.undoResend = undefined;
                return undefined;
            case "undoOffer":
                this.undoResend = msg.message;
                return undefined;
            case "noticeCleared":
                this.notice = undefined;
                return undefined;
            case "focusInput":
                return undefined;
            case "revealTurn":
                return this.turns.find((t) => t.id === msg.turnId);
        }
    }

    /** A question was sent from the box: Up recalls it (once, however often it was asked in a row). */
    remember(question: string): void {
        if (this.sent.at(-1) !== question) this.sent.push(question);
        if (this.sent.length > MAX_SENT) this.sent.splice(0, this.sent.length - MAX_SENT);
    }

    saved(): SavedState {
        return { turns: this.turns, draft: this.draft, showTokens: this.showTokens, sent: this.sent, timelineOpen: this.timelineOpen };
    }
}

/** Plain text of a turn's output. */
export function turnText(turn: Turn): string {
    return turn.tokens.map((t) => t[0]).join("");
}
