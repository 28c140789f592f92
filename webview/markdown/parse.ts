/**
 * Markdown source → mdast, with a source offset on every node (CommonMark, GFM tables and
 * strikethrough, TeX math). Pure, so the offsets are unit-tested in Node.
 *
 * TeX's `\(…\)` and `\[…\]` are rewritten to `$$…$$` before parsing: the same length, so every offset
 * still points into the model's own text.
 */
import type { Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmStrikethroughFromMarkdown } from "mdast-util-gfm-strikethrough";
import { gfmTableFromMarkdown } from "mdast-util-gfm-table";
import { mathFromMarkdown } from "mdast-util-math";
import { gfmStrikethrough } from "micromark-extension-gfm-strikethrough";
import { gfmTable } from "micromark-extension-gfm-table";
import { math } from "micromark-extension-math";

const extensions = [gfmTable(), gfmStrikethrough({ singleTilde: false }), math({ singleDollarTextMath: true })];
const mdastExtensions = [gfmTableFromMarkdown(), gfmStrikethroughFromMarkdown(), mathFromMarkdown()];

/** `\(x\)` → `$$x$$`, `\[x\]` → `$$x$$`, only where the closing delimiter follows (an escaped `\(` stays). */
export function texDelimitersToDollars(src: string): string {
    if (!src.includes("\\(") && !src.includes("\\[")) return src;
    return src
        .replace(/\\\(([\s\S]*?)\\\)/g, (_m, body: string) => (body.includes("\n\n") ? _m : `$$${body}$$`))
        .replace(/\\\[([\s\S]*?)\\\]/g, (_m, body: string) => (body.includes("\n\n") ? _m : `$$${body}$$`));
}

export function parseMarkdown(src: string): Root {
    return fromMarkdown(texDelimitersToDollars(src), { extensions, mdastExtensions });
}
