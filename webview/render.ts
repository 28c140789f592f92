/**
 * DOM for one conversation turn. Model output is untrusted: it only ever reaches the page through
 * `textContent` and `title`, never as HTML. The output shows rendered (markdown, code, math; the
 * thinking and the reply each once, think tags never) or, with "Show tokens", as the raw stream of
 * token spans; either way every character is in a span of the token that wrote it (`data-i`).
 */
import type { Source, TokenTuple, Turn } from "../src/protocol.ts";
import { AnswerWatch } from "./answer-watch.ts";
import { clampText } from "./clamp.ts";
import { demoNoteElement, type DemoNoteActions } from "./demo-note.ts";
import { ICONS, icon, iconButton } from "./icons.ts";
import { statsDetails, statsParts } from "./format.ts";
import { Timeline } from "./timeline.ts";
import { RovingStops } from "./roving-stops.ts";
import { type Handover, tokenHover } from "./trace-cursor.ts";
import { tokenElements } from "./token-elements.ts";
import { TraceReader } from "./trace-reader.ts";
import type { CodeAction } from "./markdown/dom.ts";
import { SegmentView } from "./markdown/segment-view.ts";
import { splitOutput } from "./markdown/segments.ts";

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
}

/** Lines per block of the trace (see appendTokens). */
const CHUNK_LINES = 16;

export interface TurnActions extends DemoNoteActions {
    copy(turnId: string, part: "answer" | "all"): void;
    showLog(): void;
    exportTrace(turnId: string): void;
    openLink(url: string): void;
    codeAction(action: CodeAction, code: string, language: string | undefined): void;
    /** The timeline was unfolded or folded here: the view does the same for every turn and remembers it. */
    timelineToggled(open: boolean): void;
}

let nextId = 0;

export class TurnView {
    readonly root: HTMLElement;
    private readonly thinking: HTMLDetailsElement;
    private readonly summary: HTMLElement;
    private readonly trace: HTMLElement;
    private readonly answer: HTMLElement;
    /** The one-line stats, inside the button that unfolds their details (below the foot). */
    private readonly stats: HTMLElement;
    private readonly statsToggle: HTMLButtonElement;
    private readonly statsDetails: HTMLElement;
    private readonly error: HTMLElement;
    /** Under the answer: the demo pair's note, when it answered outside its task. */
    private readonly demoNote: HTMLElement;
    private readonly actions: HTMLElement;
    private readonly progress: HTMLElement;
    /** "Loading models…" while the first request waits for the pair: the question shows at once. */
    private readonly loading: HTMLElement;
    private readonly copyAnswer: HTMLElement;
    private readonly exportTrace: HTMLElement;
    /** The entropy timeline under the answer (webview/timeline.ts). */
    private readonly timeline: Timeline;
    /** The token's spans marked from the timeline. */
    private marked: HTMLElement[] = [];
    /** While the answer streams: its tokens, set apart from the thinking. */
    private readonly answerStream: HTMLElement;
    private count = 0;
    /** The trace's last block, and the lines it holds. */
    private chunk!: HTMLElement;
    private chunkLines = 0;
    private watch = new AnswerWatch();
    /** The user opened or closed the thinking block: leave it as they set it. */
    private userToggled = false;
    /** The model of the last token shown, and the hand-over that began its span (for the hovers). */
    private spanSource: Source | undefined;
    private spanHandover: Handover | undefined;
    /** Keyboard: the trace's token cursor and status line; one Tab stop for the whole turn. */
    readonly reader: TraceReader;
    private readonly stops: RovingStops;
    /** Rendered markdown (default) or the raw token stream ("Show tokens"). */
    private rendered: boolean;
    /** The output so far, where each token starts in it, and each token's hover text. */
    private text = "";
    private starts: number[] = [];
    private titles: string[] = [];
    private thinkingView!: SegmentView;
    private replyView!: SegmentView;

    constructor(
        private turn: Turn,
        private readonly handlers: TurnActions,
        showTokens = false,
        timelineOpen = false,
    ) {
        this.rendered = !showTokens;
        this.root = el("section", "turn");
        this.root.dataset.turnId = turn.id;

        const question = el("div", "question");
        if (turn.openedFrom) question.append(el("div", "label opened-from", `Opened from ${turn.openedFrom} (read-only trace)`));
        if (turn.askedIn === "vscode-chat") question.append(el("div", "label asked-in", "Asked in VS Code's chat (not part of this conversation's memory)"));
        if (turn.label) {
            // The label stands for the prompt (an Explain prompt is mostly instructions to the models);
            // the full prompt is one click away.
            question.append(el("div", "label", turn.label));
            const full = el("details", "prompt-details");
            full.append(el("summary", undefined, "Prompt"), el("div", "prompt-text", turn.prompt));
            question.append(full);
        } else {
            question.append(el("div", "prompt-text", turn.prompt));
        }
        this.root.append(question);

        this.thinking = el("details", "thinking");
        this.thinking.open = true;
        this.thinking.hidden = true; // until the first token: no empty "Thinking · 0 tokens" box
        this.summary = el("summary");
        this.trace = el("div", "trace");
        this.reader = new TraceReader(this.trace, this.root, () => this.turn, () => this.count);
        // The status line is not in the thinking block: it reads the answer's tokens too, with the thinking folded.
        this.thinking.append(this.summary, this.trace);
        this.stops = new RovingStops(this.root);
        this.thinking.addEventListener("toggle", () => this.stops.sync());
        // Only a click (mouse, or Enter/Space on the summary) is the user's toggle. The `toggle` event
        // cannot tell: it also fires, asynchronously, after code sets `open`.
        this.summary.addEventListener("click", () => {
            this.userToggled = true;
        });

        this.progress = el("vscode-progress-ring" as "div", "progress");
        this.loading = el("div", "loading", "Loading models…");
        this.loading.hidden = true;
        // The toolkit makes each ring an assertive alert saying "Loading": hidden from screen readers,
        // which hear the view's one live region instead ("R-Stitch is answering: …").
        this.progress.setAttribute("aria-hidden", "true");
        this.answer = el("div", "answer");
        this.answer.hidden = true;
        this.answerStream = el("div", "answer-stream");
        // Details on demand: the line is a disclosure button (keyboard: Enter/Space), the details a region.
        this.stats = el("span", "stats");
        this.statsToggle = el("button", "stats-toggle");
        this.statsToggle.type = "button";
        this.statsToggle.hidden = true;
        this.statsDetails = el("div", "stats-details");
        this.statsDetails.id = `stats-details-${++nextId}`;
        this.statsDetails.setAttribute("role", "region");
        this.statsDetails.setAttribute("aria-label", "Answer statistics");
        this.statsDetails.hidden = true;
        this.statsToggle.setAttribute("aria-controls", this.statsDetails.id);
        this.statsToggle.setAttribute("aria-expanded", "false");
        this.statsToggle.append(icon(ICONS.chevron, "icon chevron"), this.stats);
        this.statsToggle.addEventListener("click", () => {
            const open = this.statsDetails.hidden;
            this.statsDetails.hidden = !open;
            this.statsToggle.setAttribute("aria-expanded", String(open));
        });
        this.error = el("div", "error");
        this.error.hidden = true;
        this.demoNote = el("div", "demo-note-slot");
        this.demoNote.hidden = true;
        // Not role="alert": the view's one live region announces errors (main.ts), once.

        this.actions = el("div", "actions");
        this.actions.hidden = true;
        // Icons with tooltips and accessible names: three text buttons wrapped at the side bar's width.
        this.copyAnswer = this.iconButton("Copy answer", "copy-answer", ICONS.copy, () => this.handlers.copy(this.turn.id, "answer"));
        this.exportTrace = this.iconButton("Export Trace…", "export-trace", ICONS.export, () => this.handlers.exportTrace(this.turn.id));
        this.actions.append(this.copyAnswer, this.iconButton("Copy all (question, thinking and answer)", "copy-all", ICONS.copyAll, () => this.handlers.copy(this.turn.id, "all")), this.exportTrace);
        // The stats and the actions share one line under the answer.
        const foot = el("div", "turn-foot");
        foot.append(this.statsToggle, this.actions);

        this.timeline = new Timeline(turn.threshold, {
            hover: (i) => {
                this.markToken(i);
                this.reader.hover(i);
            },
            select: (i) => this.revealToken(i),
            toggled: (open) => {
                this.stops.sync();
                this.handlers.timelineToggled(open);
            },
        }, timelineOpen);
        // Hovering a token's text marks its point in the timeline.
        this.root.addEventListener("mouseover", (e) => {
            const tok = (e.target as Element).closest?.(".tok[data-i]");
            if (tok instanceof HTMLElement) this.timeline.highlight(Number(tok.dataset.i), true);
        });
        this.root.addEventListener("mouseout", (e) => {
            if ((e.target as Element).closest?.(".tok[data-i]")) this.timeline.unhover();
        });

        this.resetOutput();
        // The status line under the timeline: what it says appears below the pointer, never moving what is under it.
        this.root.append(this.thinking, this.progress, this.loading, this.answer, this.demoNote, this.timeline.root, this.reader.status, this.error, foot, this.statsDetails);
        this.appendTokens(turn.tokens);
        this.update(turn);
    }

    private iconButton(name: string, className: string, path: string, onClick: () => void): HTMLElement {
        const b = iconButton(name, className, path);
        b.addEventListener("click", onClick);
        return b;
    }

    private actionButton(text: string, className: string, onClick: () => void): HTMLElement {
        const b = el("vscode-button" as "button", className, text);
        b.setAttribute("appearance", "secondary");
        b.addEventListener("click", onClick);
        return b;
    }

    /** The timeline unfolded or folded (from another turn's toggle, or the remembered choice). */
    setTimelineOpen(open: boolean): void {
        if (this.timeline.open === open) return;
        this.timeline.setOpen(open);
        this.stops.sync();
    }

    /** "Show tokens" switched: the output is drawn again the other way. */
    setShowTokens(on: boolean): void {
        if (this.rendered === !on) return;
        this.rendered = !on;
        const painted = this.turn.tokens.slice(0, this.count);
        this.resetOutput();
        this.appendTokens(painted, false);
        this.update(this.turn);
    }

    /** Empties the trace and the answer, for a first paint or a repaint. */
    private resetOutput(): void {
        this.trace.replaceChildren();
        this.answerStream.replaceChildren();
        this.answer.replaceChildren();
        this.answer.hidden = true;
        this.count = 0;
        this.text = "";
        this.starts = [];
        this.titles = [];
        this.spanSource = undefined;
        this.spanHandover = undefined;
        this.watch = new AnswerWatch();
        this.marked = [];
        const output = {
            get text() {
                return self.text;
            },
            get starts() {
                return self.starts;
            },
            sourceOf: (i: number) => this.turn.tokens[i]?.[1] ?? "slm",
            titleOf: (i: number) => this.titles[i] ?? "",
            openLink: (url: string) => this.handlers.openLink(url),
            codeAction: (a: CodeAction, code: string, lang: string | undefined) => this.handlers.codeAction(a, code, lang),
        };
        const self = this;
        this.thinkingView = new SegmentView(output);
        this.replyView = new SegmentView(output);
        this.trace.dataset.view = this.rendered ? "rendered" : "tokens";
        if (this.rendered) this.trace.append(this.thinkingView.root);
        else this.newChunk();
    }

    appendTokens(tokens: readonly TokenTuple[], toTimeline = true): void {
        if (tokens.length === 0) return;
        const tau = this.turn.stats?.threshold ?? this.turn.threshold;
        for (const [text, source, entropy, handover] of tokens) {
            if (source !== this.spanSource) {
                this.spanSource = source;
                this.spanHandover = handover === undefined ? undefined : { from: source === "llm" ? "slm" : "llm", entropy: handover };
            }
            this.titles.push(tokenHover(source, entropy, this.spanHandover, tau));
            this.starts.push(this.text.length);
            this.text += text;
        }
        if (this.rendered) this.renderMarkdown(false);
        else this.appendRaw(tokens);
        this.count += tokens.length;
        this.loading.hidden = true;
        if (toTimeline) this.timeline.append(tokens, this.turn.switches);
        if (this.thinking.hidden) {
            this.thinking.hidden = false;
            this.stops.sync();
        }
        this.summary.textContent = `Thinking · ${this.count} token${this.count === 1 ? "" : "s"}`;
    }

    /** The rendered output: the thinking in the trace, the reply (once it begins) in the answer box. */
    private renderMarkdown(final: boolean): void {
        const split = splitOutput(this.text, final);
        this.thinkingView.render(split.thinking, final);
        if (split.reply) {
            this.replyView.render(split.reply, final);
            if (this.replyView.root.parentNode !== this.answer && this.turn.state === "running" && !this.replyView.empty) {
                this.answer.replaceChildren(el("div", "answer-label", "Answer"), this.replyView.root);
                this.answer.hidden = false;
                this.setThinkingOpen(false);
            }
        }
    }

    /** The raw stream: one span per token. */
    private appendRaw(tokens: readonly TokenTuple[]): void {
        let frag = document.createDocumentFragment();
        let index = this.count;
        for (const [text, source] of tokens) {
            const span = el("span", `tok ${source}`, text);
            span.title = this.titles[index];
            span.dataset.i = String(index++); // the timeline's point for this token
            frag.append(span);
            // A long trace is cut into blocks at line ends: appending then lays out only the last
            // block, not the whole trace (one block of thousands of tokens made each frame slower).
            if (!this.watch.answerStarted && text.endsWith("\n") && ++this.chunkLines >= CHUNK_LINES) {
                this.chunk.append(frag);
                frag = document.createDocumentFragment();
                this.newChunk();
            }
            const answerTokens = this.watch.feed(text);
            if (answerTokens !== undefined) {
                // The answer begins: the thinking so far goes to the trace, the answer's first tokens
                // (already in the fragment, or in the trace from an earlier batch) to the answer.
                const moved: Node[] = [];
                for (let i = 0; i < answerTokens; i++) {
                    const last = frag.lastChild ?? this.chunk.lastChild;
                    if (!last) break;
                    moved.unshift(last);
                    last.parentNode!.removeChild(last);
                }
                this.chunk.append(frag);
                frag = document.createDocumentFragment();
                this.answerStream.append(...moved);
                this.showStreamingAnswer();
            }
        }
        (this.watch.answerStarted ? this.answerStream : this.chunk).append(frag);
    }

    /** The answer streams apart from the thinking, which folds (unless the user chose otherwise). */
    private showStreamingAnswer(): void {
        if (this.turn.state !== "running") return;
        this.answer.replaceChildren(el("div", "answer-label", "Answer"), this.answerStream);
        this.answer.hidden = false;
        this.setThinkingOpen(false);
    }

    /** Reflects the turn's state (running, done, error) after a change. */
    update(turn: Turn): void {
        this.turn = turn;
        this.root.classList.toggle("running", turn.state === "running");
        this.progress.hidden = turn.state !== "running";
        if (turn.state !== "running") this.loading.hidden = true;
        // Switches that came after the last painted token.
        this.timeline.append([], turn.switches);
        this.exportTrace.hidden = turn.state !== "done";

        if (turn.state !== "running") {
            if (this.rendered) {
                // Finished: both parts parsed once more as a whole (reference links, long paragraphs).
                this.renderMarkdown(true);
            } else {
                // Finished: the whole output reads as one trace again; the answer box shows the answer.
                this.chunk.append(...Array.from(this.answerStream.childNodes));
            }
            if (turn.state === "error") this.answer.hidden = true;
        }
        if (turn.state === "done" && turn.stats && turn.stopReason) {
            this.answer.replaceChildren();
            const hasAnswer = turn.answer !== null && turn.answer !== undefined;
            this.copyAnswer.hidden = !hasAnswer;
            const reply = this.rendered && !this.replyView.empty;
            if (reply) {
                this.answer.append(el("div", "answer-label", "Answer"), this.replyView.root);
                this.setThinkingOpen(false);
            } else if (hasAnswer) {
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
            // One line, cut with an ellipsis where the side bar is narrow: the whole line on hover, and
            // every figure with its meaning in the details (the button unfolds them).
            this.statsToggle.title = statsParts(turn.stats, turn.stopReason).map((p) => p.text).join(" · ");
            const list = el("div", "stats-list");
            for (const d of statsDetails(turn.stats, turn.stopReason)) {
                const item = el("div", `stat-detail ${d.key}`);
                item.append(el("span", "stat-text", d.text));
                if (d.meaning) item.append(el("span", "stat-meaning", ` — ${d.meaning}`));
                list.append(item);
            }
            this.statsDetails.replaceChildren(list);
            this.statsToggle.hidden = false;
            this.actions.hidden = false;
            if (turn.demoNote && this.demoNote.hidden) {
                this.demoNote.replaceChildren(demoNoteElement(turn.demoNote, this.handlers));
                this.demoNote.hidden = false;
            }
        }
        if (turn.state === "error") {
            const { text, clipped } = clampText(turn.error ?? "Failed.");
            this.error.replaceChildren(el("span", "error-text", text));
            const showLog = this.actionButton(clipped ? "Show Log (whole message)" : "Show Log", "show-log", () => this.handlers.showLog());
            this.error.append(showLog);
            this.error.hidden = false;
            this.copyAnswer.hidden = true;
            this.actions.hidden = this.count === 0;
        }
        this.stops.sync();
    }

    /** Controls were added, shown or disabled from outside (turn-controls.ts): one Tab stop still. */
    syncStops(): void {
        this.stops.sync();
    }

    /** The host is loading the models for this (running) turn. */
    setLoading(loading: boolean): void {
        this.loading.hidden = !(loading && this.turn.state === "running" && this.count === 0);
    }

    /** Marks (or, with undefined, unmarks) the text of token `i`, hovered in the timeline. */
    private markToken(i: number | undefined): HTMLElement | undefined {
        for (const m of this.marked) m.classList.remove("tok-hl");
        this.marked = i === undefined ? [] : tokenElements(this.root, i);
        for (const m of this.marked) m.classList.add("tok-hl");
        return this.marked[0];
    }

    /** A point was clicked: show its token, opening the folded thinking if it is in there. */
    private revealToken(i: number): void {
        const tok = this.markToken(i);
        if (!tok) return;
        if (this.thinking.contains(tok) && !this.thinking.open) {
            this.userToggled = true;
            this.thinking.open = true;
        }
        tok.scrollIntoView({ block: "nearest" });
    }

    private newChunk(): void {
        this.chunk = el("div", "trace-chunk");
        this.chunkLines = 0;
        this.trace.append(this.chunk);
    }

    private setThinkingOpen(open: boolean): void {
        if (this.userToggled || this.thinking.open === open) return;
        this.thinking.open = open;
    }
}

