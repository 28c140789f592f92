/**
 * TeX to MathML DOM through KaTeX. `katex.render` builds the nodes with createElementNS (never
 * innerHTML); MathML output needs no fonts or style sheet, so the page's CSP stays as it is. Trust
 * is off (\href, \url, \htmlClass, \includegraphics stay inert), macro expansion and sizes are
 * capped, and a formula KaTeX refuses is shown as its source text.
 */
import katex from "katex";

/** Longer formulas are shown as source: KaTeX's cost grows with them, and no answer needs more. */
export const MAX_TEX = 4000;

/** Renders `tex` into `into`; false (and `into` left empty) when it cannot be rendered. */
export function renderTex(tex: string, into: HTMLElement, display: boolean): boolean {
    if (tex.length > MAX_TEX) return false;
    try {
        katex.render(tex, into, {
            displayMode: display,
            output: "mathml",
            throwOnError: true,
            trust: false,
            strict: "ignore",
            maxExpand: 200,
            maxSize: 20,
            globalGroup: false,
        });
        return true;
    } catch {
        into.replaceChildren();
        return false;
    }
}
