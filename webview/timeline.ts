/**
 * The entropy timeline under an answer. Folded (the default) it is a thin strip: the SLM/LLM spans
 * and a tick at each switch, the whole answer fitted to the width (never a sideways scrollbar), with
 * a toggle that unfolds the chart: one bar per token (its entropy H on a √ scale, in its model's
 * colour), τ as a dashed line, a band of spans and a line at each switch. Built with createElementNS
 * and textContent only (model text never becomes markup). Streaming appends: each call adds the new
 * tokens' elements and moves a few attributes; nothing drawn is redrawn. The view calls `append` at
 * most once per animation frame (main.ts batches token messages per frame).
 */
import { SOURCE_LABEL, type Source, type TokenTuple, type TurnSwitch } from "../src/protocol.ts";
import { disclosureButton, ICONS } from "./icons.ts";
import { bar, entropyY, MIN_STEP, PLOT_HEIGHT, stepFor, stripTokenAt, TICKS, tickLabel, tokenAt } from "./timeline-scale.ts";
import { tokenNumber, tokenOf } from "./token-number.ts";

const SVG = "http://www.w3.org/2000/svg";
const BAND_GAP = 2;
const BAND_HEIGHT = 4;
const HEIGHT = PLOT_HEIGHT + BAND_GAP + BAND_HEIGHT;
const AXIS_WIDTH = 26;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, cls?: string, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
    const e = document.createElementNS(SVG, tag);
    if (cls) e.setAttribute("class", cls);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    return e;
}

export interface TimelineHooks {
    /** The pointer is over token `i` of the timeline (or left it: the selected token, or undefined). */
    hover(i: number | undefined): void;
    /** Token `i` was clicked in the timeline. */
    select(i: number): void;
    /** The user unfolded or folded the chart (the view remembers it for every turn). */
    toggled(open: boolean): void;
}

let nextId = 0;

export class Timeline {
    readonly root: HTMLElement;
    private readonly scroller: HTMLElement;
    private readonly plot: SVGSVGElement;
    /** x in tokens (scaled to pixels by one transform): appending never moves what is drawn. */
    private readonly scaled: SVGGElement;
    private readonly band: SVGGElement;
    private readonly bars: SVGGElement;
    private readonly marks: SVGGElement;
    private readonly cursor: SVGRectElement;
    private readonly tau: SVGLineElement;
    private readonly readout: HTMLElement;
    /** The folded view: spans and switch ticks over the whole width; the toggle; the chart's box. */
    private readonly strip: SVGSVGElement;
    private readonly stripSpans: SVGGElement;
    private readonly stripMarks: SVGGElement;
    private readonly stripCursor: SVGLineElement;
    private stripSpan: { source: Source; rect: SVGRectElement; start: number } | undefined;
    private readonly toggle: HTMLElement;
    private readonly body: HTMLElement;
    private readonly points: SVGRectElement[] = [];
    private readonly entries: { source: Source; entropy: number }[] = [];
    private switches = 0;
    private span: { source: Source; rect: SVGRectElement; start: number } | undefined;
    private step = MIN_STEP;
    private selected: number | undefined;
    private highlighted: number | undefined;

    constructor(
        private threshold: number,
        private readonly hooks: TimelineHooks,
        open = false,
    ) {
        this.root = document.createElement("div");
        this.root.className = "timeline";
        this.root.hidden = true;

        // Folded: one row, the toggle and the strip (x in tokens, stretched to the width by the viewBox).
        this.strip = svg("svg", "tl-strip", { preserveAspectRatio: "none", viewBox: "0 0 1 1", "aria-hidden": "true" });
        this.stripSpans = svg("g");
        this.stripMarks = svg("g");
        this.stripCursor = svg("line", "tl-strip-cursor", { y1: 0, y2: 1, x1: 0, x2: 0, visibility: "hidden" });
        this.strip.append(this.stripSpans, this.stripMarks, this.stripCursor);
        this.body = document.createElement("div");
        this.body.className = "tl-body";
        this.body.id = `tl-body-${++nextId}`;
        this.toggle = disclosureButton("Entropy timeline", "tl-toggle", ICONS.chevron);
        this.toggle.setAttribute("aria-controls", this.body.id);
        this.toggle.addEventListener("click", () => {
            this.setOpen(!this.open);
            this.hooks.toggled(this.open);
        });
        const head = document.createElement("div");
        head.className = "tl-head";
        head.append(this.toggle, this.strip);

        const axis = svg("svg", "tl-axis", { width: AXIS_WIDTH, height: HEIGHT, "aria-hidden": "true" });
        for (const h of TICKS) {
            const y = entropyY(h);
            const label = svg("text", "tl-tick", { x: AXIS_WIDTH - 4, y: Math.min(PLOT_HEIGHT, Math.max(7, y + 3)), "text-anchor": "end" });
            label.textContent = tickLabel(h);
            axis.append(label, svg("line", "tl-grid", { x1: AXIS_WIDTH - 3, x2: AXIS_WIDTH, y1: y, y2: y }));
        }

        this.plot = svg("svg", "tl-plot", { height: HEIGHT, width: 0, role: "img" });
        this.scaled = svg("g");
        this.band = svg("g", "tl-band");
        this.bars = svg("g", "tl-points");
        this.marks = svg("g", "tl-switches");
        this.cursor = svg("rect", "tl-cursor", { y: 0, height: PLOT_HEIGHT, width: 1, x: 0, visibility: "hidden" });
        this.scaled.append(this.cursor, this.bars, this.band, this.marks);
        const baseline = svg("line", "tl-baseline", { x1: 0, x2: "100%", y1: PLOT_HEIGHT, y2: PLOT_HEIGHT });
        this.tau = svg("line", "tl-tau", { x1: 0, x2: "100%" });
        this.plot.append(baseline, this.scaled, this.tau);

        this.scroller = document.createElement("div");
        this.scroller.className = "tl-scroll";
        this.scroller.append(this.plot);
        const chart = document.createElement("div");
        chart.className = "tl-chart";
        chart.append(axis, this.scroller);
        this.readout = document.createElement("div");
        this.readout.className = "tl-readout";
        this.body.append(chart, this.readout);
        this.root.append(head, this.body);

        for (const [el, at] of [[this.plot, (x: number) => this.indexAt(x)], [this.strip, (x: number) => this.stripIndexAt(x)]] as const) {
            el.addEventListener("pointermove", (e) => this.hoverAt(at(e.clientX)));
            // Off the plot, the selected token (if any) stays marked.
            el.addEventListener("pointerleave", () => {
                this.hooks.hover(this.selected);
                this.highlight(this.selected);
            });
            el.addEventListener("click", (e) => {
                const i = at(e.clientX);
                if (i === undefined) return;
                this.selected = i;
                this.highlight(i);
                this.hooks.select(i);
            });
        }
        // The sidebar's width changes: one transform and one width move, nothing is redrawn.
        if (typeof ResizeObserver !== "undefined") new ResizeObserver(() => this.layout()).observe(this.scroller);
        this.setThreshold(threshold);
        this.setOpen(open);
    }

    /** The chart is unfolded. */
    get open(): boolean {
        return !this.body.hidden;
    }

    setOpen(open: boolean): void {
        this.body.hidden = !open;
        this.toggle.setAttribute("aria-expanded", String(open));
        this.toggle.title = open ? "Hide the entropy timeline" : "Show the entropy timeline (entropy per token, τ, switches)";
        this.root.classList.toggle("open", open);
        if (open) this.layout();
    }

    get count(): number {
        return this.entries.length;
    }

    setThreshold(threshold: number): void {
        this.threshold = threshold;
        const y = entropyY(threshold);
        this.tau.setAttribute("y1", String(y));
        this.tau.setAttribute("y2", String(y));
        this.describe();
    }

    /** New tokens, and the switches known so far (those already drawn are skipped). */
    append(tokens: readonly TokenTuple[], switches: readonly TurnSwitch[] = []): void {
        const frag = document.createDocumentFragment();
        for (const [, source, entropy] of tokens) {
            const i = this.entries.length;
            this.entries.push({ source, entropy });
            const { y, height } = bar(entropy);
            const rect = svg("rect", `tl-point ${source}`, { x: i + 0.1, width: 0.8, y, height, "data-i": i });
            this.points.push(rect);
            frag.append(rect);
            if (this.span?.source === source) this.span.rect.setAttribute("width", String(i + 1 - this.span.start));
            else {
                const rect = svg("rect", `tl-span ${source}`, { x: i, width: 1, y: PLOT_HEIGHT + BAND_GAP, height: BAND_HEIGHT });
                this.band.append(rect);
                this.span = { source, rect, start: i };
            }
            if (this.stripSpan?.source === source) this.stripSpan.rect.setAttribute("width", String(i + 1 - this.stripSpan.start));
            else {
                const rect = svg("rect", `tl-strip-span ${source}`, { x: i, width: 1, y: 0, height: 1 });
                this.stripSpans.append(rect);
                this.stripSpan = { source, rect, start: i };
            }
        }
        this.bars.append(frag);
        for (; this.switches < switches.length; this.switches++) {
            const s = switches[this.switches];
            const mark = svg("line", `tl-switch to-${s.to}`, { x1: s.index, x2: s.index, y1: 0, y2: HEIGHT, "data-index": s.index });
            const title = svg("title");
            title.textContent = `Switch ${SOURCE_LABEL[s.from]} → ${SOURCE_LABEL[s.to]} at token ${tokenNumber(s.index)} · H = ${s.entropy.toFixed(3)}${s.reason ? ` · ${s.reason}` : ""}`;
            mark.append(title);
            this.marks.append(mark);
            this.stripMarks.append(svg("line", "tl-strip-switch", { x1: s.index, x2: s.index, y1: 0, y2: 1 }));
        }
        this.strip.setAttribute("viewBox", `0 0 ${Math.max(1, this.entries.length)} 1`);
        this.root.hidden = this.entries.length === 0;
        const atEnd = this.scroller.scrollLeft + this.scroller.clientWidth >= this.scroller.scrollWidth - 2;
        this.layout();
        // While it streams, follow the newest token unless the user scrolled back.
        if (atEnd) this.scroller.scrollLeft = this.scroller.scrollWidth;
        if (tokens.length || switches.length) this.describe();
    }

    /**
     * Marks token `i`; undefined clears the mark. `reveal` (a hover on the token's text) scrolls the
     * plot to the point; a hover on the plot itself never scrolls it under the pointer.
     */
    highlight(i: number | undefined, reveal = false): void {
        if (this.highlighted !== undefined) this.points[this.highlighted]?.classList.remove("hl");
        this.highlighted = i !== undefined && i < this.points.length ? i : undefined;
        if (this.highlighted === undefined) {
            this.cursor.setAttribute("visibility", "hidden");
            this.stripCursor.setAttribute("visibility", "hidden");
            this.describe();
            return;
        }
        this.points[this.highlighted].classList.add("hl");
        this.cursor.setAttribute("x", String(this.highlighted));
        this.stripCursor.setAttribute("x1", String(this.highlighted + 0.5));
        this.stripCursor.setAttribute("x2", String(this.highlighted + 0.5));
        for (const c of [this.cursor, this.stripCursor]) c.setAttribute("visibility", "visible");
        const e = this.entries[this.highlighted];
        this.readout.textContent = `${tokenOf(this.highlighted, this.entries.length)} · ${SOURCE_LABEL[e.source]} · H = ${e.entropy.toFixed(3)}`;
        if (reveal) this.scrollToPoint(this.highlighted);
    }

    /** The pointer left a token's text: back to the selected point, if any. */
    unhover(): void {
        this.highlight(this.selected);
    }

    private hoverAt(at: number | undefined): void {
        const i = at ?? this.selected;
        this.hooks.hover(i);
        this.highlight(i);
    }

    private indexAt(clientX: number): number | undefined {
        return tokenAt(clientX - this.plot.getBoundingClientRect().left, this.step, this.entries.length);
    }

    private stripIndexAt(clientX: number): number | undefined {
        const box = this.strip.getBoundingClientRect();
        return stripTokenAt(clientX - box.left, box.width, this.entries.length);
    }

    private layout(): void {
        this.step = stepFor(this.entries.length, this.scroller.clientWidth);
        this.scaled.setAttribute("transform", `scale(${this.step} 1)`);
        this.plot.setAttribute("width", String(Math.ceil(this.step * this.entries.length)));
    }

    /** Keeps a point highlighted from the text in sight when the plot scrolls sideways. */
    private scrollToPoint(i: number): void {
        const x = i * this.step;
        const s = this.scroller;
        if (x < s.scrollLeft || x > s.scrollLeft + s.clientWidth - this.step) s.scrollLeft = Math.max(0, x - s.clientWidth / 2);
    }

    /** The caption: what is drawn and how to read it (the scale is said, not left to guess). */
    private describe(): void {
        const n = this.entries.length;
        const text = `Entropy H per token (√ scale) · ${n} token${n === 1 ? "" : "s"} · ${this.switches} switch${this.switches === 1 ? "" : "es"} · dashed line τ = ${this.threshold}`;
        this.plot.setAttribute("aria-label", `Entropy timeline: ${n} tokens, ${this.switches} switches, threshold τ = ${this.threshold}`);
        if (this.highlighted === undefined) this.readout.textContent = text;
    }
}
