/**
 * DOM for one conversation turn. Model output is untrusted: it only ever reaches the page through
 * `textContent` and `title`, never as HTML.
 */
import { tokenTitle, type TokenTuple, type Turn } from "../src/protocol.ts";
import { statsParts } from "./format.ts";

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
}

export interface TurnActions {
    copy(turnId: string, part: "answer" | "all"): void;
}

export class TurnView {
    readonly root: HTMLElement;
    private readonly thinking: HTMLDetailsElement;
    private readonly summary: HTMLElement;
    private readonly trace: HTMLElement;
    private readonly answer: HTMLElement;
    private readonly stats: HTMLElement;
    private readonly error: HTMLElement;
    private readonly actions: HTMLElement;
    private readonly progress: HTMLElement;
    private readonly copyAnswer: HTMLElement;
    private count = 0;
    /** The user opened or closed the thinking block: leave it as they set it. */
    private userToggled = false;
    /** The next toggle event comes from code, not from the user. */
    private programmaticToggle = false;

    constructor(
        private turn: Turn,
        private readonly handlers: TurnActions,
    ) {
        this.root = el("section", "turn");
        this.root.dataset.turnId = turn.id;

        const question = el("div", "question");
        if (turn.label) question.append(el("div", "label", turn.label));
        question.append(el("div", "prompt-text", turn.prompt));
        this.root.append(question);

        this.thinking = el("details", "thinking");
        this.thinking.open = true;
        this.summary = el("summary");
        this.trace = el("div", "trace");
        this.trace.setAttribute("role", "log");
        this.thinking.append(this.summary, this.trace);
        this.thinking.addEventListener("toggle", () => {
            if (this.programmaticToggle) this.programmaticToggle = false;
            else this.userToggled = true;
        });

        this.progress = el("vscode-progress-ring" as "div", "progress");
        this.answer = el("div", "answer");
        this.answer.hidden = true;
        this.stats = el("div", "stats");
        this.stats.hidden = true;
        this.error = el("div", "error");
        this.error.hidden = true;
        this.error.setAttribute("role", "alert");

        this.actions = el("div", "actions");
        this.actions.hidden = true;
        this.copyAnswer = this.actionButton("Copy answer", "copy-answer", () => this.handlers.copy(this.turn.id, "answer"));
        this.actions.append(this.copyAnswer, this.actionButton("Copy all", "copy-all", () => this.handlers.copy(this.turn.id, "all")));

        this.root.append(this.thinking, this.progress, this.answer, this.error, this.stats, this.actions);
        this.appendTokens(turn.tokens);
        this.update(turn);
    }

    private actionButton(text: string, className: string, onClick: () => void): HTMLElement {
        const b = el("vscode-button" as "button", className, text);
        b.setAttribute("appearance", "secondary");
        b.addEventListener("click", onClick);
        return b;
    }

    appendTokens(tokens: readonly TokenTuple[]): void {
        const frag = document.createDocumentFragment();
        for (const [text, source, entropy] of tokens) {
            const span = el("span", `tok ${source}`, text);
            span.title = tokenTitle(source, entropy);
            frag.append(span);
        }
        this.trace.append(frag);
        this.count += tokens.length;
        this.summary.textContent = `Thinking · ${this.count} token${this.count === 1 ? "" : "s"}`;
    }

    /** Reflects the turn's state (running, done, error) after a change. */
    update(turn: Turn): void {
        this.turn = turn;
        this.root.classList.toggle("running", turn.state === "running");
        this.progress.hidden = turn.state !== "running";

        if (turn.state === "done" && turn.stats && turn.stopReason) {
            this.answer.replaceChildren();
            const hasAnswer = turn.answer !== null && turn.answer !== undefined;
            this.copyAnswer.hidden = !hasAnswer;
            if (hasAnswer) {
                this.answer.append(el("div", "answer-label", "Answer"), el("div", "answer-text", turn.answer!));
                this.setThinkingOpen(false);
            } else {
                this.answer.append(el("div", "answer-missing", "No final answer line in the output."));
            }
            this.answer.hidden = false;
            this.stats.replaceChildren();
            statsParts(turn.stats, turn.stopReason).forEach((p, i) => {
                if (i > 0) this.stats.append(" · ");
                const part = el("span", `stat ${p.key}`, p.text);
                if (p.title) part.title = p.title;
                this.stats.append(part);
            });
            this.stats.hidden = false;
            this.actions.hidden = false;
        }
        if (turn.state === "error") {
            this.error.textContent = turn.error ?? "Failed.";
            this.error.hidden = false;
            this.copyAnswer.hidden = true;
            this.actions.hidden = this.count === 0;
        }
    }

    private setThinkingOpen(open: boolean): void {
        if (this.userToggled || this.thinking.open === open) return;
        this.programmaticToggle = true;
        this.thinking.open = open;
    }
}
