/** A self-contained SVG chart of the benchmark: accuracy against speedup, one point per configuration. */
import type { Mode } from "../stitch/index.ts";
import { TOLERANCE, type BenchResult, type ConfigResult } from "./bench.ts";

const W = 760;
const H = 480;
const M = { left: 70, right: 200, top: 50, bottom: 60 };
const COLOURS: Record<Mode, string> = {
    stitch: "#1f77b4", "stitch-spec": "#2ca02c", "stitch-eager": "#9467bd", llm: "#222222", slm: "#888888", speculative: "#e07b00", "draft-verify": "#d62728",
};

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function marker(c: ConfigResult, x: number, y: number): string {
    // llama.cpp's own server: hollow markers of the same shapes; a remote LLM: dashed outline.
    const fill = c.config.backend === "llama.cpp" ? `white" stroke="${COLOURS[c.config.mode]}" stroke-width="2`
        : c.config.backend === "remote" ? `${COLOURS[c.config.mode]}" fill-opacity="0.35" stroke="${COLOURS[c.config.mode]}" stroke-dasharray="2 2" stroke-width="2`
        : COLOURS[c.config.mode];
    const title = `<title>${esc(c.config.label)}: accuracy ${(c.accuracy * 100).toFixed(1)}%, speedup ${c.speedup.toFixed(2)}×, LLM share ${(c.llmShare * 100).toFixed(1)}%</title>`;
    switch (c.config.mode) {
        case "llm": return `<rect x="${x - 6}" y="${y - 6}" width="12" height="12" fill="${fill}">${title}</rect>`;
        case "slm": return `<path d="M${x},${y - 7} L${x + 7},${y + 6} L${x - 7},${y + 6} Z" fill="${fill}">${title}</path>`;
        case "speculative":
        case "draft-verify": return `<path d="M${x},${y - 7} L${x + 7},${y} L${x},${y + 7} L${x - 7},${y} Z" fill="${fill}">${title}</path>`;
        default: return `<circle cx="${x}" cy="${y}" r="6" fill="${fill}">${title}</circle>`;
    }
}

function label(c: ConfigResult): string {
    const peer = c.config.backend === "llama.cpp" ? "llama.cpp " : c.config.backend === "remote" ? "remote " : "";
    switch (c.config.mode) {
        case "stitch": return `${peer}τ=${c.config.threshold}`;
        case "stitch-spec": return `spec τ=${c.config.threshold}`;
        case "stitch-eager": return `eager τ=${c.config.threshold}`;
        case "speculative": return `${peer || "nlc "}d=${c.config.draftTokens}`;
        case "draft-verify": return `verify d=${c.config.draftTokens}`;
        default: return peer + c.config.mode.toUpperCase();
    }
}

export function benchChart(result: BenchResult, subtitle: string): string {
    const pts = result.configs.filter((c) => c.problems > 0);
    const maxX = Math.max(1.5, ...pts.map((c) => c.speedup)) * 1.1;
    const pw = W - M.left - M.right;
    const ph = H - M.top - M.bottom;
    const sx = (v: number) => M.left + (v / maxX) * pw;
    const sy = (v: number) => M.top + (1 - v) * ph;
    const parts: string[] = [];
    parts.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
    parts.push(`<text x="${M.left}" y="24" font-size="16" font-weight="600">R-Stitch benchmark: accuracy against speedup over LLM-only</text>`);
    parts.push(`<text x="${M.left}" y="42" font-size="11" fill="#555">${esc(subtitle)}</text>`);
    // Grid and axes.
    for (let a = 0; a <= 1.0001; a += 0.2) {
        parts.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${sy(a)}" y2="${sy(a)}" stroke="#e5e5e5"/>`);
        parts.push(`<text x="${M.left - 8}" y="${sy(a) + 4}" font-size="11" text-anchor="end">${Math.round(a * 100)}%</text>`);
    }
    const step = maxX > 6 ? 1 : 0.5;
    for (let v = 0; v <= maxX; v += step) {
        parts.push(`<line x1="${sx(v)}" x2="${sx(v)}" y1="${M.top}" y2="${M.top + ph}" stroke="#f0f0f0"/>`);
        parts.push(`<text x="${sx(v)}" y="${M.top + ph + 18}" font-size="11" text-anchor="middle">${v}×</text>`);
    }
    parts.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
    parts.push(`<text x="${M.left + pw / 2}" y="${H - 16}" font-size="12" text-anchor="middle">speedup against LLM-only (wall time, same run)</text>`);
    parts.push(`<text transform="translate(18 ${M.top + ph / 2}) rotate(-90)" font-size="12" text-anchor="middle">accuracy</text>`);
    parts.push(`<line x1="${sx(1)}" x2="${sx(1)}" y1="${M.top}" y2="${M.top + ph}" stroke="#bbb" stroke-dasharray="4 3"/>`);
    const llm = pts.find((c) => c.config.mode === "llm");
    if (llm) {
        const y = sy(Math.max(0, llm.accuracy - TOLERANCE));
        parts.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${y}" y2="${y}" stroke="${COLOURS.llm}" stroke-dasharray="2 4"/>`);
        parts.push(`<text x="${M.left + pw - 4}" y="${y - 4}" font-size="10" text-anchor="end" fill="#555">LLM accuracy − 1 point</text>`);
    }
    // The stitch curve, in threshold order.
    const stitch = pts.filter((c) => c.config.mode === "stitch").sort((a, b) => a.config.threshold! - b.config.threshold!);
    if (stitch.length > 1) {
        parts.push(`<polyline fill="none" stroke="${COLOURS.stitch}" stroke-width="1.5" stroke-opacity="0.6" points="${stitch.map((c) => `${sx(c.speedup)},${sy(c.accuracy)}`).join(" ")}"/>`);
    }
    // Labels step down past the ones already placed, so coinciding points stay readable.
    const placed: { x: number; y: number; w: number }[] = [];
    for (const c of pts) {
        const x = sx(c.speedup);
        const y = sy(c.accuracy);
        parts.push(marker(c, x, y));
        const text = label(c);
        const w = text.length * 6;
        let ly = y - 7;
        while (placed.some((p) => Math.abs(p.y - ly) < 11 && x + 9 < p.x + p.w && p.x < x + 9 + w)) ly += 12;
        placed.push({ x: x + 9, y: ly, w });
        const bold = result.recommended?.config.id === c.config.id ? ` font-weight="700"` : "";
        parts.push(`<text x="${x + 9}" y="${ly}" font-size="10"${bold}>${esc(text)}</text>`);
    }
    // Legend.
    const lx = M.left + pw + 20;
    const entries: [string, ConfigResult["config"]["mode"], string][] = [
        ["R-Stitch (τ)", "stitch", "node-llama-cpp"], ["R-Stitch, spec. LLM spans", "stitch-spec", "node-llama-cpp"], ["R-Stitch, eager LLM", "stitch-eager", "node-llama-cpp"],
        ["LLM only", "llm", "node-llama-cpp"], ["SLM only", "slm", "node-llama-cpp"],
        ["node-llama-cpp spec. (d)", "speculative", "node-llama-cpp"], ["draft-verify (d)", "draft-verify", "node-llama-cpp"],
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
