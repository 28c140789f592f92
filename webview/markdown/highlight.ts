/**
 * Syntax highlighting of a code block as a list of (range, class) pieces of its text, from
 * lowlight's token tree (highlight.js grammars, never its HTML string). A handful of languages keeps
 * the webview bundle small; an unknown language is left plain. Pure.
 */
import type { Element, Root, RootContent } from "hast";
import { createLowlight } from "lowlight";
import bash from "highlight.js/lib/languages/bash";
import c from "highlight.js/lib/languages/c";
import cpp from "highlight.js/lib/languages/cpp";
import css from "highlight.js/lib/languages/css";
import go from "highlight.js/lib/languages/go";
import java from "highlight.js/lib/languages/java";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import python from "highlight.js/lib/languages/python";
import rust from "highlight.js/lib/languages/rust";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";

const lowlight = createLowlight({ bash, c, cpp, css, go, java, javascript, json, python, rust, sql, typescript, xml, yaml });

/** Past this size a block is left plain: highlighting is for reading, not for megabytes. */
export const MAX_HIGHLIGHT = 20_000;

export interface Piece {
    start: number;
    end: number;
    /** highlight.js scope, e.g. "keyword", "string", "title.function" (dots as in its class names). */
    scope: string;
}

/** The grammar's name for a fence's info string ("py" → "python"), or undefined. */
export function languageOf(info: string | null | undefined): string | undefined {
    const name = (info ?? "").trim().split(/\s/)[0]?.toLowerCase() ?? "";
    if (!name || !/^[\w+#.-]{1,32}$/.test(name)) return undefined;
    return lowlight.registered(name) ? name : undefined;
}

/** The highlighted pieces of `code` (text outside every piece is plain). */
export function highlightPieces(code: string, language: string | undefined): Piece[] {
    if (!language || code.length > MAX_HIGHLIGHT || !lowlight.registered(language)) return [];
    let tree: Root;
    try {
        tree = lowlight.highlight(language, code);
    } catch {
        return [];
    }
    const pieces: Piece[] = [];
    let at = 0;
    const walk = (nodes: readonly RootContent[], scope: string) => {
        for (const n of nodes) {
            if (n.type === "text") {
                if (scope && n.value.length > 0) pieces.push({ start: at, end: at + n.value.length, scope });
                at += n.value.length;
            } else if (n.type === "element") {
                walk((n as Element).children, scopeOf(n as Element) ?? scope);
            }
        }
    };
    walk(tree.children, "");
    return pieces;
}

function scopeOf(e: Element): string | undefined {
    const names = e.properties?.className;
    const list = Array.isArray(names) ? names.map(String) : [];
    const hl = list.find((n) => n.startsWith("hljs-"));
    return hl ? hl.slice(5).replace(/_+$/, "") : undefined;
}

/** The CSS class for a scope: a fixed set, so a class never carries model text. */
export function scopeClass(scope: string): string {
    const head = scope.split(".")[0];
    return SCOPE_CLASSES.has(head) ? `hl-${head}` : "hl-other";
}

const SCOPE_CLASSES = new Set(["keyword", "built_in", "type", "literal", "number", "string", "regexp", "comment", "meta", "title",
    "function", "params", "attr", "attribute", "variable", "symbol", "tag", "name", "selector", "property", "operator", "punctuation", "subst",
    "section", "bullet", "doctag", "template"]);
