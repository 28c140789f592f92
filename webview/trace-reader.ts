/**
 * A turn's trace read without a mouse: the trace is one Tab stop; Left/Right move a visible cursor
 * token by token (Home/End: first/last), and a status line under the trace says what the token is
 * ("token 37 of 120 · LLM · H = 0.412 · handed over at H = 0.210 > τ = 0.010"). The line is a polite
 * live region only while the keyboard moves the cursor; hovering a token shows the same line, silently.
 */
import type { Turn } from "../src/protocol.ts";
import { cursorStatus, moveCursor } from "./trace-cursor.ts";
import { tokenElements } from "./token-elements.ts";

let nextId = 0;

export class TraceReader {
    readonly status: HTMLElement;
    private pos: number | undefined;
    private cursorEls: Element[] = [];

    constructor(
        private readonly trace: HTMLElement,
        /** The turn's root: its token spans, answer included, in output order. */
        private readonly root: HTMLElement,
        private readonly turn: () => Turn,
        /** How many of the turn's tokens are painted (the cursor stays among those). */
        private readonly painted: () => number,
    ) {
        this.status = document.createElement("div");
        this.status.className = "trace-status";
        this.status.id = `trace-status-${++nextId}`;
        this.status.hidden = true;
        trace.tabIndex = 0;
        // A group, not a log: a screen reader must not read the stream out token by token.
        trace.setAttribute("role", "group");
        trace.setAttribute("aria-label", "Thinking trace. Left and Right arrows: read token by token; Home, End: first, last token");
        trace.setAttribute("aria-describedby", this.status.id);
        trace.addEventListener("keydown", (e) => this.onKey(e));
        trace.addEventListener("focus", () => this.show(false));
        trace.addEventListener("blur", () => {
            this.status.setAttribute("aria-live", "off");
            if (!root.matches(":hover")) this.status.hidden = true;
        });
        root.addEventListener("mouseover", (e) => {
            const tok = (e.target as Element).closest?.(".tok[data-i]");
            if (tok instanceof HTMLElement && root.contains(tok)) this.say(Number(tok.dataset.i), false);
        });
        // The line sits under the timeline, outside the (foldable) thinking: it stays while the pointer
        // is anywhere on the turn, the answer and the timeline included.
        root.addEventListener("mouseleave", () => this.hover(undefined));
    }

    /** The pointer is on token `i` (the timeline says so), or left: back to the cursor's line, or hidden. */
    hover(i: number | undefined): void {
        if (i !== undefined) return this.say(i, false);
        if (document.activeElement !== this.trace) this.status.hidden = true;
        else this.show(false);
    }

    /** The cursor's token, 0-based, if the keyboard has placed one. */
    get cursor(): number | undefined {
        return this.pos;
    }

    private onKey(e: KeyboardEvent): void {
        if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
        const count = Math.min(this.painted(), this.turn().tokens.length);
        const next = moveCursor(this.pos, count, e.key);
        if (next === undefined) return;
        e.preventDefault();
        this.pos = next;
        for (const c of this.cursorEls) c.classList.remove("cursor");
        // A token of pure markup ("**", a blank line) has no span of its own: the status line still reads it.
        this.cursorEls = tokenElements(this.root, next);
        for (const c of this.cursorEls) c.classList.add("cursor");
        this.cursorEls[0]?.scrollIntoView({ block: "nearest" });
        this.say(next, true);
    }

    /** Shows the cursor's line (or the keys, before the first move). */
    private show(live: boolean): void {
        if (this.pos !== undefined) return this.say(this.pos, live);
        this.status.setAttribute("aria-live", "off");
        this.status.textContent = this.status.title = "Left / Right: read token by token · Home / End: first / last token";
        this.status.hidden = false;
    }

    private say(i: number, live: boolean): void {
        const turn = this.turn();
        const text = cursorStatus(turn.tokens, i, turn.stats?.threshold ?? turn.threshold);
        if (!text) return;
        this.status.setAttribute("aria-live", live ? "polite" : "off");
        this.status.textContent = this.status.title = text;
        this.status.hidden = false;
    }
}
