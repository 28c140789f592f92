/**
 * The view's icon buttons: 16 × 16 outlines in the codicon style, drawn here as SVG paths (no icon
 * font to load under the CSP), each button with a tooltip and an accessible name.
 */
const SVG = "http://www.w3.org/2000/svg";

export const ICONS = {
    copy: "M5 1.5h8.5V11H12V3H5zM2.5 4.5h8v10h-8zM3.5 5.5v8h6v-8z",
    copyAll: "M5 1.5h8.5V11H12V3H5zM2.5 4.5h8v10h-8zM3.5 5.5v8h6v-8zM4.5 7.5h4v1h-4zM4.5 9.5h4v1h-4zM4.5 11.5h4v1h-4z",
    export: "M2.5 3.5h5v1h-4v8h8v-4h1v5h-10zM9 2.5h4.5V7h-1V4.2L8.4 8.3l-.7-.7 4.1-4.1H9z",
    insert: "M10.5 2h1v12h-1zM2 7.5h4.3L4.6 5.8l.7-.7L8.2 8l-2.9 2.9-.7-.7 1.7-1.7H2z",
    apply: "M2.5 2.5h11v4h-11zM3.5 3.5v2h9v-2zM2.5 9.5h11v4h-11zM3.5 10.5v2h9v-2zM5 4h3v1H5zM6 10h1v.5h.5v1H7v.5H6v-.5h-.5v-1H6z",
    /** Points right; turned down (CSS) when what it unfolds is open. */
    chevron: "M5.7 13.7 5 13l5-5-5-5 .7-.7L11.4 8z",
    edit: "M3.05 12.95L3.62 9.98L11.39 2.2L13.8 4.61L6.02 12.38zM4.39 11.61L4.61 10.4L9.34 5.67L10.33 6.66L5.6 11.39zM10.05 4.96L11.39 3.62L12.38 4.61L11.04 5.95z",
    regenerate: "M12.76 5.25A5.5 5.5 0 1 1 7.04 2.58L7.22 3.57A4.5 4.5 0 1 0 11.9 5.75zM14.06 4.5L11.23 3.59L10.6 6.5z",
    newFile: "M3.5 1.5h6l3 3v4h-1V5H9V2.5H4.5v11H8v1H3.5zM11.5 10h1v2h2v1h-2v2h-1v-2h-2v-1h2z",
} as const;

/** A toolkit icon button: `name` is its tooltip and what a screen reader says. */
export function iconButton(name: string, className: string, path: string): HTMLElement {
    const b = document.createElement("vscode-button");
    b.className = className;
    b.setAttribute("appearance", "icon");
    b.title = name;
    b.setAttribute("aria-label", name);
    b.append(icon(path));
    return b;
}

/**
 * A native button for a disclosure (what it unfolds says `aria-expanded`, which a toolkit button's
 * host element cannot carry): an icon, a tooltip and an accessible name, styled as the icon buttons.
 */
export function disclosureButton(name: string, className: string, path: string): HTMLButtonElement {
    const b = document.createElement("button");
    b.type = "button";
    b.className = `disclosure ${className}`;
    b.title = name;
    b.setAttribute("aria-label", name);
    b.setAttribute("aria-expanded", "false");
    b.append(icon(path));
    return b;
}

/** One icon, hidden from screen readers (what it is for is said by its button). */
export function icon(path: string, className = "icon"): SVGSVGElement {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", className);
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("aria-hidden", "true");
    const p = document.createElementNS(SVG, "path");
    p.setAttribute("fill-rule", "evenodd");
    p.setAttribute("d", path);
    svg.append(p);
    return svg;
}
