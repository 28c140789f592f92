/**
 * Streaming markdown without re-rendering what is finished: the text so far is parsed from the end
 * of the last block known to be finished; all but the last TAIL_BLOCKS top-level blocks are then
 * finished (rendered once, kept), the rest is the tail (rendered again next frame). A paragraph that
 * grows past MAX_TAIL characters is committed up to a line end, so one long paragraph does not make
 * every frame slower. When the output ends, the whole text is parsed once more (reference links and
 * cut paragraphs come out as a single parse gives them). Pure: it plans, the renderer builds.
 */
import type { Root, RootContent } from "mdast";
import { parseMarkdown } from "./parse.ts";

/** Blocks kept open: two, so "1. a\n\n2" followed by ". b" stays one list. */
const TAIL_BLOCKS = 2;
export const MAX_TAIL = 2000;

export interface Piece {
    /** Offset in the segment text where the parsed slice began (node offsets are relative to it). */
    base: number;
    /** The slice that was parsed (node offsets index into it). */
    src: string;
    root: Root;
    blocks: RootContent[];
}

export interface Plan {
    /** Start over: drop everything rendered (the text is not a continuation of the last one). */
    reset: boolean;
    /** Newly finished blocks, to append once. */
    commit: Piece[];
    /** The blocks still open, to render in place of the previous tail. */
    tail: Piece;
}

export class IncrementalMarkdown {
    private committedEnd = 0;
    private text = "";

    /** `text`: the whole segment so far; `final`: nothing more will come. */
    update(text: string, final: boolean): Plan {
        let reset = false;
        if (final || !text.startsWith(this.text)) {
            reset = true;
            this.committedEnd = 0;
        }
        this.text = text;
        const commit: Piece[] = [];
        if (final) {
            const src = text;
            const root = parseMarkdown(src);
            return { reset, commit: [{ base: 0, src, root, blocks: root.children }], tail: emptyPiece(text.length) };
        }
        let src = text.slice(this.committedEnd);
        if (src.length > MAX_TAIL) {
            const probe = parseMarkdown(src);
            const last = probe.children.at(-1);
            const cut = src.lastIndexOf("\n", src.length - MAX_TAIL / 4);
            if (probe.children.length === 1 && last?.type === "paragraph" && cut > MAX_TAIL / 4) {
                const head = src.slice(0, cut + 1);
                const root = parseMarkdown(head);
                commit.push({ base: this.committedEnd, src: head, root, blocks: root.children });
                this.committedEnd += cut + 1;
                src = text.slice(this.committedEnd);
            }
        }
        const root = parseMarkdown(src);
        const n = Math.max(0, root.children.length - TAIL_BLOCKS);
        if (n > 0) {
            const done = root.children.slice(0, n);
            commit.push({ base: this.committedEnd, src, root, blocks: done });
            const end = done[n - 1].position?.end.offset ?? 0;
            const tailBlocks = root.children.slice(n);
            const tail: Piece = { base: this.committedEnd, src, root, blocks: tailBlocks };
            this.committedEnd += end;
            return { reset, commit, tail };
        }
        return { reset, commit, tail: { base: this.committedEnd, src, root, blocks: root.children } };
    }
}

function emptyPiece(base: number): Piece {
    return { base, src: "", root: { type: "root", children: [] }, blocks: [] };
}
