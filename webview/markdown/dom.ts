/**
 * Markdown tree → DOM nodes, every character in a span of the token that wrote it. Only elements of
 * a fixed set are made, with createElement/textContent and attributes whose values are checked
 * (numbers, fixed class names); model text never becomes markup. Links open through the host when
 * their scheme allows (links.ts); images are never fetched, their alt text and address are shown.
 */
import type { Nodes, Parents, PhrasingContent, Root, RootContent, Table } from "mdast";
import { alignToSource, attributedRuns, tokensIn, type SegmentTokens } from "./attribution.ts";
import { highlightPieces, languageOf, scopeClass } from "./highlight.ts";
import type { Piece } from "./incremental.ts";
import { openableUrl } from "../../src/link-policy.ts";
import { renderTex } from "./math.ts";
import { ICONS, iconButton } from "../icons.ts";

import type { CodeAction } from "../../src/protocol.ts";

export type { CodeAction };

export interface MarkdownHost {
    readonly tokens: SegmentTokens;
    /** Model of output token i. */
    sourceOf(i: number): "slm" | "llm";
    /** Hover text of output token i. */
    titleOf(i: number): string;
    openLink(url: string): void;
    codeAction(action: CodeAction, code: string, language: string | undefined): void;
}

/** Containers nested deeper than this render flat: deep nesting must not push text off the page. */
const MAX_DEPTH = 16;
/** While streaming, a code block this long is left plain until it is finished. */
const STREAM_HIGHLIGHT_MAX = 4000;

/** Icon buttons (their names are the tooltips): four text buttons wrapped at the side bar's width. */
const CODE_BUTTONS: [CodeAction, string, string][] = [
    ["copy", ICONS.copy, "Copy the code"],
    ["insert", ICONS.insert, "Insert at the cursor in the editor"],
    ["apply", ICONS.apply, "Apply to the selection (shown as a diff first)"],
    ["newFile", ICONS.newFile, "Open in a new untitled file"],
];

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string): HTMLElementTagNameMap[K] {
    const e = document.createElement(tag);
    if (className) e.className = className;
    return e;
}

export class MarkdownDom {
    private src = "";
    private base = 0;
    private defs = new Map<string, string>();
    private streaming = false;

    constructor(private readonly host: MarkdownHost) {}

    /** One element per block of the piece. */
    blocks(piece: Piece, streaming: boolean): Node[] {
        this.src = piece.src;
        this.base = piece.base;
        this.streaming = streaming;
        this.defs = definitions(piece.root);
        const out: Node[] = [];
        for (const b of piece.blocks) {
            const n = this.block(b, 0);
            if (n) out.push(n);
        }
        return out;
    }

    private start(n: Nodes): number {
        return n.position?.start.offset ?? 0;
    }
    private end(n: Nodes): number {
        return n.position?.end.offset ?? this.start(n);
    }

    /** Spans for `value`, which the source holds within [from, to) of the parsed slice. */
    private text(parent: Node, value: string, from: number, to: number, extraClass?: (i: number) => string): void {
        if (!value) return;
        const offsets = alignToSource(value, this.src, from, to);
        for (let i = 0; i < offsets.length; i++) offsets[i] += this.base;
        this.spans(parent, value, offsets, 0, value.length, extraClass ? extraClass(0) : "");
    }

    private spans(parent: Node, value: string, offsets: Int32Array, start: number, end: number, extra: string): void {
        for (const r of attributedRuns(value, offsets, this.host.tokens, start, end)) {
            const span = el("span", `tok ${this.host.sourceOf(r.token)}${extra ? ` ${extra}` : ""}`);
            span.textContent = r.text;
            span.dataset.i = String(r.token);
            span.title = this.host.titleOf(r.token);
            parent.appendChild(span);
        }
    }

    private children(parent: Node, nodes: readonly RootContent[], depth: number): void {
        for (const c of nodes) {
            const n = this.block(c, depth);
            if (n) parent.appendChild(n);
        }
    }

    private container<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, depth: number): HTMLElement {
        return depth > MAX_DEPTH ? el("div", "md-flat") : el(tag, className);
    }

    private block(n: RootContent, depth: number): Node | undefined {
        switch (n.type) {
            case "paragraph": {
                const p = el("p", "md-p");
                this.inline(p, n.children, depth);
                return p;
            }
            case "heading": {
                const h = el(`h${Math.min(6, n.depth + 1)}` as "h2", "md-h");
                this.inline(h, n.children, depth);
                return h;
            }
            case "thematicBreak":
                return el("hr", "md-hr");
            case "blockquote": {
                const q = this.container("blockquote", "md-quote", depth);
                this.children(q, n.children, depth + 1);
                return q;
            }
            case "list": {
                const l = this.container(n.ordered ? "ol" : "ul", "md-list", depth);
                if (l instanceof HTMLOListElement && typeof n.start === "number" && Number.isInteger(n.start) && n.start >= 0 && n.start < 1e9 && n.start !== 1) l.start = n.start;
                this.children(l, n.children, depth + 1);
                return l;
            }
            case "listItem": {
                const li = depth > MAX_DEPTH ? el("div", "md-flat") : el("li", "md-li");
                this.children(li, n.children, depth + 1);
                return li;
            }
            case "code":
                return this.code(n.value, n.lang, n);
            case "math":
                return this.math(n.value, n, true);
            case "html": {
                const p = el("p", "md-p md-html");
                this.text(p, n.value, this.start(n), this.end(n));
                return p;
            }
            case "table":
                return this.table(n, depth);
            case "definition":
                return undefined;
            default: {
                // Anything else the parser may give (footnotes, phrasing at block level): its text.
                const p = el("div", "md-p");
                if ("children" in n) this.inline(p, (n as Parents).children as PhrasingContent[], depth);
                else if ("value" in n && typeof n.value === "string") this.text(p, n.value, this.start(n), this.end(n));
                return p;
            }
        }
    }

    private inline(parent: Node, nodes: readonly (PhrasingContent | RootContent)[], depth: number): void {
        for (const n of nodes) this.phrase(parent, n, depth);
    }

    private wrap(parent: Node, tag: "em" | "strong" | "del", n: Parents, depth: number): void {
        if (depth > MAX_DEPTH) return this.inline(parent, n.children as PhrasingContent[], depth);
        const e = el(tag, `md-${tag}`);
        this.inline(e, n.children as PhrasingContent[], depth + 1);
        parent.appendChild(e);
    }

    private phrase(parent: Node, n: PhrasingContent | RootContent, depth: number): void {
        switch (n.type) {
            case "text":
                return this.textWithBoxed(parent, n.value, this.start(n), this.end(n));
            case "emphasis":
                return this.wrap(parent, "em", n, depth);
            case "strong":
                return this.wrap(parent, "strong", n, depth);
            case "delete":
                return this.wrap(parent, "del", n, depth);
            case "inlineCode": {
                const c = el("code", "md-icode");
                this.text(c, n.value, this.start(n), this.end(n));
                parent.appendChild(c);
                return;
            }
            case "break":
                parent.appendChild(el("br"));
                return;
            case "inlineMath":
                parent.appendChild(this.math(n.value, n, false));
                return;
            case "html":
                return this.text(parent, n.value, this.start(n), this.end(n));
            case "link":
                return this.link(parent, n.url, n.children, depth);
            case "linkReference": {
                const url = this.defs.get(n.identifier.toLowerCase());
                if (url !== undefined) return this.link(parent, url, n.children, depth);
                return this.text(parent, this.src.slice(this.start(n), this.end(n)), this.start(n), this.end(n));
            }
            case "image":
                return this.image(parent, n.alt ?? "", n.url, n);
            case "imageReference":
                return this.image(parent, n.alt ?? "", this.defs.get(n.identifier.toLowerCase()) ?? "", n);
            default:
                if ("children" in n) return this.inline(parent, (n as Parents).children as PhrasingContent[], depth);
                if ("value" in n && typeof n.value === "string") return this.text(parent, n.value, this.start(n), this.end(n));
        }
    }

    private link(parent: Node, rawUrl: string, children: readonly PhrasingContent[], depth: number): void {
        const url = openableUrl(rawUrl);
        if (!url || depth > MAX_DEPTH) {
            const s = el("span", "md-link-inert");
            this.inline(s, children, depth + 1);
            parent.appendChild(s);
            return;
        }
        // No href: the page never navigates; the host opens the address (after VS Code's own prompt).
        const a = el("a", "md-link");
        a.setAttribute("role", "link");
        a.tabIndex = 0;
        const open = (e: Event) => {
            e.preventDefault();
            this.host.openLink(url);
        };
        a.addEventListener("click", open);
        a.addEventListener("keydown", (e) => {
            if (e.key === "Enter") open(e);
        });
        this.inline(a, children, depth + 1);
        parent.appendChild(a);
    }

    /** An image is never fetched: "[image: alt] address", as text. */
    private image(parent: Node, alt: string, url: string, n: Nodes): void {
        const s = el("span", "md-image");
        const label = el("span", "md-image-label");
        label.textContent = "image";
        s.appendChild(label);
        this.text(s, `${alt} ${url}`.trim(), this.start(n), this.end(n));
        parent.appendChild(s);
    }

    /** Text, with a bare `\boxed{…}` (as reasoning models end their answers) rendered as math. */
    private textWithBoxed(parent: Node, value: string, from: number, to: number): void {
        const at = value.indexOf("\\boxed{");
        if (at < 0) return this.text(parent, value, from, to);
        const close = matchingBrace(value, at + 6);
        if (close < 0) return this.text(parent, value, from, to);
        const offsets = alignToSource(value, this.src, from, to);
        const tex = value.slice(at, close + 1);
        const texFrom = offsets[at];
        const texTo = offsets[close] + 1;
        if (at > 0) this.text(parent, value.slice(0, at), from, texFrom);
        parent.appendChild(this.mathAt(tex, texFrom, texTo, false));
        this.textWithBoxed(parent, value.slice(close + 1), texTo, to);
    }

    private math(tex: string, n: Nodes, display: boolean): HTMLElement {
        return this.mathAt(tex, this.start(n), this.end(n), display);
    }

    /** A formula, marked by the models that wrote it (both, when both did). */
    private mathAt(tex: string, from: number, to: number, display: boolean): HTMLElement {
        const ids = tokensIn(this.host.tokens, from + this.base, to + this.base);
        const sources = new Set(ids.map((i) => this.host.sourceOf(i)));
        const mark = sources.size > 1 ? "both" : (sources.values().next().value ?? "slm");
        const box = el(display ? "div" : "span", `md-math ${mark}${display ? " md-math-block" : ""}`);
        if (ids.length > 0) {
            box.dataset.from = String(ids[0]);
            box.dataset.to = String(ids[ids.length - 1]);
        }
        box.title = sources.size > 1 ? "Formula written by the SLM and the LLM" : `Formula written by the ${mark.toUpperCase()}`;
        if (!renderTex(tex, box, display)) {
            box.classList.add("md-math-source");
            this.text(box, tex, from, to);
        }
        return box;
    }

    private code(value: string, info: string | null | undefined, n: Nodes): HTMLElement {
        const language = languageOf(info);
        const wrap = el("div", "md-code");
        const bar = el("div", "md-code-bar");
        const lang = el("span", "md-code-lang");
        lang.textContent = (info ?? "").trim().split(/\s/)[0]?.slice(0, 32) || "code";
        bar.appendChild(lang);
        for (const [action, icon, title] of CODE_BUTTONS) {
            const b = iconButton(title, `code-${action}`, icon);
            b.addEventListener("click", () => this.host.codeAction(action, value, language ?? (lang.textContent === "code" ? undefined : lang.textContent ?? undefined)));
            bar.appendChild(b);
        }
        const pre = el("pre", "md-pre");
        const code = el("code", "md-code-text");
        // The content starts after the opening fence line (its info string must not take characters).
        const start = this.start(n);
        const src = this.src.slice(start, this.end(n));
        const fenced = /^ {0,3}(`{3,}|~{3,})/.test(src);
        const nl = src.indexOf("\n");
        const from = fenced ? (nl < 0 ? this.end(n) : start + nl + 1) : start;
        const offsets = alignToSource(value, this.src, from, this.end(n));
        for (let i = 0; i < offsets.length; i++) offsets[i] += this.base;
        const pieces = this.streaming && value.length > STREAM_HIGHLIGHT_MAX ? [] : highlightPieces(value, language);
        let at = 0;
        for (const p of pieces) {
            if (p.start > at) this.spans(code, value, offsets, at, p.start, "");
            this.spans(code, value, offsets, p.start, p.end, scopeClass(p.scope));
            at = p.end;
        }
        if (at < value.length) this.spans(code, value, offsets, at, value.length, "");
        pre.appendChild(code);
        wrap.append(bar, pre);
        return wrap;
    }

    private table(n: Table, depth: number): HTMLElement {
        const wrap = el("div", "md-table-wrap");
        const table = el("table", "md-table");
        const head = el("thead");
        const body = el("tbody");
        n.children.forEach((row, r) => {
            const tr = el("tr");
            row.children.forEach((cell, c) => {
                const td = el(r === 0 ? "th" : "td");
                const align = n.align?.[c];
                if (align === "left" || align === "right" || align === "center") td.className = `md-align-${align}`;
                this.inline(td, cell.children, depth + 1);
                tr.appendChild(td);
            });
            (r === 0 ? head : body).appendChild(tr);
        });
        table.append(head, body);
        wrap.appendChild(table);
        return wrap;
    }
}

/** Link reference definitions of a tree, by lower-cased label. */
function definitions(root: Root): Map<string, string> {
    const defs = new Map<string, string>();
    for (const c of root.children) if (c.type === "definition" && !defs.has(c.identifier.toLowerCase())) defs.set(c.identifier.toLowerCase(), c.url);
    return defs;
}

/** Index of the `}` closing the `{` at `open`, or -1. */
export function matchingBrace(s: string, open: number): number {
    let depth = 0;
    for (let i = open; i < s.length && i < open + 4000; i++) {
        const ch = s[i];
        if (ch === "\\") i++;
        else if (ch === "{") depth++;
        else if (ch === "}" && --depth === 0) return i;
    }
    return -1;
}
