/** A self-contained SVG chart of the benchmark: accuracy against speedup, one point per configuration. */
import { MODE_TABLE, MODES, usesTau, type Mode } from "../modes.ts";
import { TOLERANCE, type BenchResult, type ConfigResult } from "./bench.ts";

const W = 760;
const H = 480;
const M = { left: 70, right: 200, top: 50, bottom: 60 };
// One colour per mode, in the table's order.
const PALETTE = ["#1f77b4", "#888888", "#222222", "#d62728", "#e07b00", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
const colour = (mode: Mode) => PALETTE[MODES.indexOf(mode) % PALETTE.length];

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function marker(c: ConfigResult, x: number, y: number): string {
    // llama.cpp's own server: hollow markers of the same shapes; a remote LLM: dashed outline.
    const hue = colour(c.config.mode);
    const fill = c.config.backend === "llama.cpp" ? `white" stroke="${hue}" stroke-width="2`
        : c.config.backend === "remote" ? `${hue}" fill-opacity="0.35" stroke="${hue}" stroke-dasharray="2 2" stroke-width="2`
        : hue;
    const title = `<title>${esc(c.config.label)}: accuracy ${(c.accuracy * 100).toFixed(1)}%, speedup ${c.speedup.toFixed(2)}×, LLM share ${(c.llmShare * 100).toFixed(1)}%</title>`;
    // Shapes by kind: one model alone (square: LLM, triangle: SLM), drafting (diamond), routed by τ (circle).
    const spec = MODE_TABLE[c.config.mode];
    if (spec.drafts) return `<path d="M${x},${y - 7} L${x + 7},${y} L${x},${y + 7} L${x - 7},${y} Z" fill="${fill}">${title}</path>`;
    if (spec.tau === 0) return `<rect x="${x - 6}" y="${y - 6}" width="12" height="12" fill="${fill}">${title}</rect>`;
    if (spec.tau === 1) return `<path d="M${x},${y - 7} L${x + 7},${y + 6} L${x - 7},${y + 6} Z" fill="${fill}">${title}</path>`;
    return `<circle cx="${x}" cy="${y}" r="6" fill="${fill}">${title}</circle>`;
}

function label(c: ConfigResult): string {
    const peer = c.config.backend === "llama.cpp" ? "llama.cpp " : c.config.backend === "remote" ? "remote " : "";
    const mode = c.config.mode;
    // R-Stitch+ rows: the routing (the calibration gives τ).
    if (c.config.routing) return `${peer}${c.config.routing}${c.config.llmShare === undefined ? "" : ` ${c.config.llmShare}`}`;
    if (usesTau(mode)) return `${peer}${mode === "stitch" ? "" : `${mode} `}τ=${c.config.threshold}`;
    if (MODE_TABLE[mode].drafts) return `${peer}${mode} d=${c.config.draftTokens}`;
    return peer + mode.toUpperCase();
}

/** A label's box in chart coordinates (text baseline at y, about 6 px per character at font size 10). */
export interface LabelBox {
    x: number;
    y: number;
    w: number;
}

const LABEL_H = 11;

export function overlaps(a: LabelBox, b: LabelBox): boolean {
    return Math.abs(a.y - b.y) < LABEL_H && a.x < b.x + b.w && b.x < a.x + a.w;
}

/**
 * Where a point's label goes: right of the point, else left of it, else stepped up or down (nearest
 * first) until it overlaps no label or marker placed before; `bounds` keeps it inside the plot.
 */
export function placeLabel(px: number, py: number, w: number, taken: readonly LabelBox[], bounds: { left: number; right: number; top: number; bottom: number }): LabelBox {
    const free = (b: LabelBox) => b.x >= bounds.left && b.x + b.w <= bounds.right && b.y - LABEL_H + 2 >= bounds.top && b.y <= bounds.bottom && !taken.some((t) => overlaps(t, b));
    for (let step = 0; step < 40; step++) {
        for (const dy of step === 0 ? [0] : [-step * LABEL_H, step * LABEL_H]) {
            for (const x of [px + 9, px - 9 - w]) {
                const box = { x, y: py + 4 + dy, w };
                if (free(box)) return box;
            }
        }
    }
    return { x: px + 9, y: py + 4, w };
}

export function benchChart(result: BenchResult, subtitle: string): string {
    const pts = result.configs.filter((c) => c.problems > 0);
    const pw = W - M.left - M.right;
    const ph = H - M.top - M.bottom;
    // Speedup on a log scale, so 0.5× and 2× sit as far from 1× and the cluster near 1× spreads out.
    const speedups = pts.map((c) => c.speedup).filter((v) => v > 0);
    const lo = Math.log2(Math.min(0.5, ...speedups) / 1.15);
    const hi = Math.log2(Math.max(2, ...speedups) * 1.15);
    const sx = (v: number) => M.left + ((Math.log2(Math.max(v, 2 ** lo)) - lo) / (hi - lo)) * pw;
    // Accuracy from 10 points under the lowest row within 30 points of LLM-only: rows further down (a
    // weak SLM) sit on the bottom edge with their accuracy in the label rather than squeezing the rest.
    const llm = pts.find((c) => c.config.mode === "llm" && c.config.backend === "node-llama-cpp") ?? pts.find((c) => c.config.mode === "llm");
    const near = pts.filter((c) => !llm || c.accuracy >= llm.accuracy - 0.3).map((c) => c.accuracy);
    const floor = Math.max(0, Math.floor((Math.min(1, ...near) - 0.04) * 20) / 20);
    // A little headroom above 100%, so labels of rows at 100% have room above them too.
    const top = 1 + (1 - floor) * 0.08;
    const sy = (v: number) => M.top + (1 - (Math.max(v, floor) - floor) / (top - floor)) * ph;
    const parts: string[] = [];
    parts.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
    parts.push(`<text x="${M.left}" y="24" font-size="16" font-weight="600">R-Stitch benchmark: accuracy against speedup over LLM-only</text>`);
    parts.push(`<text x="${M.left}" y="42" font-size="11" fill="#555">${esc(subtitle)}</text>`);
    // Grid and axes.
    const aStep = 1 - floor > 0.5 ? 0.2 : 1 - floor > 0.25 ? 0.05 : 1 - floor > 0.1 ? 0.025 : 0.01;
    for (let a = floor; a <= 1.0001; a += aStep) {
        parts.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${sy(a)}" y2="${sy(a)}" stroke="#e5e5e5"/>`);
        parts.push(`<text x="${M.left - 8}" y="${sy(a) + 4}" font-size="11" text-anchor="end">${+(a * 100).toFixed(1)}%</text>`);
    }
    for (const v of [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32].filter((v) => Math.log2(v) >= lo && Math.log2(v) <= hi)) {
        parts.push(`<line x1="${sx(v)}" x2="${sx(v)}" y1="${M.top}" y2="${M.top + ph}" stroke="#f0f0f0"/>`);
        parts.push(`<text x="${sx(v)}" y="${M.top + ph + 18}" font-size="11" text-anchor="middle">${v}×</text>`);
    }
    parts.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
    parts.push(`<text x="${M.left + pw / 2}" y="${H - 16}" font-size="12" text-anchor="middle">speedup against LLM-only (wall time, same run; log scale)</text>`);
    parts.push(`<text transform="translate(18 ${M.top + ph / 2}) rotate(-90)" font-size="12" text-anchor="middle">accuracy${floor > 0 ? ` (axis from ${Math.round(floor * 100)}%)` : ""}</text>`);
    parts.push(`<line x1="${sx(1)}" x2="${sx(1)}" y1="${M.top}" y2="${M.top + ph}" stroke="#bbb" stroke-dasharray="4 3"/>`);
    if (llm) {
        const y = sy(Math.max(0, llm.accuracy - TOLERANCE));
        parts.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${y}" y2="${y}" stroke="${colour("llm")}" stroke-dasharray="2 4"/>`);
        parts.push(`<text x="${M.left + 4}" y="${y + 12}" font-size="10" fill="#555">LLM accuracy − 1 point</text>`);
    }
    // The stitch curve, in threshold order.
    const stitch = pts.filter((c) => c.config.mode === "stitch" && c.config.backend === "node-llama-cpp").sort((a, b) => a.config.threshold! - b.config.threshold!);
    if (stitch.length > 1) {
        parts.push(`<polyline fill="none" stroke="${colour("stitch")}" stroke-width="1.5" stroke-opacity="0.6" points="${stitch.map((c) => `${sx(c.speedup)},${sy(c.accuracy)}`).join(" ")}"/>`);
    }
    // Markers first (labels must not cover them), then labels, each placed clear of everything before it.
    const at = pts.map((c) => ({ c, x: sx(c.speedup), y: sy(c.accuracy) }));
    const taken: LabelBox[] = at.map((p) => ({ x: p.x - 7, y: p.y + 5, w: 14 }));
    taken.push({ x: M.left + 2, y: (llm ? sy(Math.max(0, llm.accuracy - TOLERANCE)) : 0) + 12, w: 130 });
    for (const { c, x, y } of at) parts.push(marker(c, x, y));
    const bounds = { left: M.left + 2, right: M.left + pw - 2, top: M.top, bottom: M.top + ph - 2 };
    for (const { c, x, y } of at) {
        const text = label(c) + (c.accuracy < floor ? ` (${(c.accuracy * 100).toFixed(0)}%)` : "");
        const box = placeLabel(x, y, text.length * 6, taken, bounds);
        taken.push(box);
        // A label moved away from its point gets a thin leader line back to it.
        if (Math.abs(box.y - (y + 4)) > 1) {
            const lx = box.x > x ? box.x - 1 : box.x + box.w + 1;
            parts.push(`<line x1="${x}" y1="${y}" x2="${lx}" y2="${box.y - 4}" stroke="#999" stroke-width="0.75"/>`);
        }
        const bold = result.recommended?.config.id === c.config.id ? ` font-weight="700"` : "";
        parts.push(`<text x="${box.x}" y="${box.y}" font-size="10"${bold}>${esc(text)}</text>`);
    }
    // Legend.
    const lx = M.left + pw + 20;
    const entries: [string, Mode, string][] = [
        ...MODES.map((m): [string, Mode, string] => [`${MODE_TABLE[m].label}${usesTau(m) ? " (τ)" : MODE_TABLE[m].drafts ? " (d)" : ""}`, m, "node-llama-cpp"]),
        ["llama.cpp (hollow)", "llm", "llama.cpp"],
    ];
    entries.forEach(([text, mode, backend], i) => {
        const y = M.top + 14 + i * 22;
        const fake = { config: { mode, label: text, id: mode, backend }, accuracy: 0, speedup: 0, llmShare: 0 } as unknown as ConfigResult;
        parts.push(marker(fake, lx + 6, y - 4).replace(/<title>.*<\/title>/, ""));
        parts.push(`<text x="${lx + 20}" y="${y}" font-size="11">${esc(text)}</text>`);
    });
    if (result.recommended) {
        parts.push(`<text x="${lx}" y="${M.top + 200}" font-size="11" font-weight="700">best: ${esc(label(result.recommended))}</text>`);
        parts.push(`<text x="${lx}" y="${M.top + 216}" font-size="10" fill="#555">fastest within 1 point of LLM</text>`);
    }
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">\n${parts.join("\n")}\n</svg>\n`;
}
