// WCAG 2 contrast of text against what is behind it, from the colours a browser computes
// (getComputedStyle). Pure: the real-editor phase reads the colours, this does the maths.

/** "rgb(1, 2, 3)", "rgba(1, 2, 3, 0.5)", "color(srgb 0.1 0.2 0.3 / 0.5)", "#rrggbb[aa]" → {r, g, b, a} (0–255, a 0–1). */
export function parseColor(text) {
    const s = String(text).trim().toLowerCase();
    if (s === "transparent") return { r: 0, g: 0, b: 0, a: 0 };
    let m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(s);
    if (m) return { r: Number(m[1]), g: Number(m[2]), b: Number(m[3]), a: alpha(m[4]) };
    m = /^color\(srgb\s+([\d.e-]+)\s+([\d.e-]+)\s+([\d.e-]+)(?:\s*\/\s*([\d.]+%?))?\s*\)$/.exec(s);
    if (m) return { r: 255 * Number(m[1]), g: 255 * Number(m[2]), b: 255 * Number(m[3]), a: alpha(m[4]) };
    m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(s);
    if (m) {
        const n = parseInt(m[1], 16);
        return { r: n >> 16, g: (n >> 8) & 255, b: n & 255, a: m[2] ? parseInt(m[2], 16) / 255 : 1 };
    }
    throw new Error(`unreadable colour ${JSON.stringify(text)}`);
}

function alpha(a) {
    if (a === undefined) return 1;
    return a.endsWith("%") ? Number(a.slice(0, -1)) / 100 : Number(a);
}

/** `top` painted over `bottom` (source-over). */
export function over(top, bottom) {
    const a = top.a + bottom.a * (1 - top.a);
    if (a === 0) return { r: 0, g: 0, b: 0, a: 0 };
    const mix = (t, b) => (t * top.a + b * bottom.a * (1 - top.a)) / a;
    return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a };
}

/** The colour seen through a stack of layers, listed from the top one down to an opaque base. */
export function flatten(layersTopDown) {
    return layersTopDown.reduceRight((below, layer) => over(layer, below));
}

/** WCAG 2 relative luminance of an opaque colour. */
export function luminance({ r, g, b }) {
    const lin = (v) => {
        const c = v / 255;
        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG 2 contrast ratio (1–21) of text `fg` (may be translucent) on an opaque background `bg`. */
export function contrastRatio(fg, bg) {
    const text = over(fg, bg);
    const [l1, l2] = [luminance(text), luminance(bg)].sort((x, y) => y - x);
    return (l1 + 0.05) / (l2 + 0.05);
}

export function hex({ r, g, b }) {
    return `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, "0")).join("")}`;
}
