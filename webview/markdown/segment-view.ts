/**
 * One rendered segment of a turn's output (its thinking, or its reply) in one element: follows the
 * stream through IncrementalMarkdown, so each frame replaces only the tail blocks in place (the
 * finished blocks above never change, so nothing above jumps or flickers).
 */
import type { SegmentTokens } from "./attribution.ts";
import { type CodeAction, MarkdownDom } from "./dom.ts";
import { IncrementalMarkdown } from "./incremental.ts";
import { segmentTokens, type Range } from "./segments.ts";

export interface OutputSource {
    /** The whole output so far, and where each token starts in it. */
    readonly text: string;
    readonly starts: readonly number[];
    sourceOf(i: number): "slm" | "llm";
    titleOf(i: number): string;
    openLink(url: string): void;
    codeAction(action: CodeAction, code: string, language: string | undefined): void;
}

export class SegmentView {
    readonly root: HTMLElement;
    private doc = new IncrementalMarkdown();
    private readonly dom: MarkdownDom;
    private tokens: SegmentTokens = { starts: [], ids: [] };
    private tail: Node[] = [];
    private from = -1;
    private shown = "";

    constructor(private readonly out: OutputSource) {
        this.root = document.createElement("div");
        this.root.className = "md";
        const self = this;
        this.dom = new MarkdownDom({
            get tokens() {
                return self.tokens;
            },
            sourceOf: (i) => out.sourceOf(i),
            titleOf: (i) => out.titleOf(i),
            openLink: (url) => out.openLink(url),
            codeAction: (a, code, lang) => out.codeAction(a, code, lang),
        });
    }

    /** True when the segment shows nothing but white space. */
    get empty(): boolean {
        return this.shown.trim() === "";
    }

    /** Shows `range` of the output; `final`: the output is complete. */
    render(range: Range, final: boolean): void {
        const text = this.out.text.slice(range.from, range.to);
        if (!final && range.from === this.from && text === this.shown) return;
        if (range.from !== this.from) {
            // The segment moved (a think tag arrived): start over.
            this.from = range.from;
            this.doc = new IncrementalMarkdown();
            this.root.replaceChildren();
            this.tail = [];
        }
        this.shown = text;
        this.tokens = segmentTokens(this.out.starts, range);
        const plan = this.doc.update(text, final);
        if (plan.reset) {
            this.root.replaceChildren();
            this.tail = [];
        }
        for (const n of this.tail) n.parentNode?.removeChild(n);
        const frag = document.createDocumentFragment();
        for (const piece of plan.commit) for (const n of this.dom.blocks(piece, !final)) frag.appendChild(n);
        this.tail = this.dom.blocks(plan.tail, !final);
        for (const n of this.tail) frag.appendChild(n);
        this.root.appendChild(frag);
    }
}
