/**
 * Draws the marketplace icon (media/icon.png, 128×128) from the same two strands as the activity-bar
 * icon (media/rstitch.svg): a dashed blue strand (SLM) and a solid orange one (LLM) crossing.
 * Run: node --import tsx tools/make-icon.ts
 */
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

type Pt = [number, number];
type Cubic = [Pt, Pt, Pt, Pt];

const SIZE = 128;
const SCALE = SIZE / 24;
const STROKE = 2.1; // in 24-unit space
const DASH = [3.3, 1.9];

// The SVG paths, as absolute cubic segments (24-unit space).
const LLM: Cubic[] = [
    [[2.5, 7.5], [6.7, 7.5], [7.8, 16.5], [12, 16.5]],
    [[12, 16.5], [16.2, 16.5], [17.3, 7.5], [21.5, 7.5]],
];
const SLM: Cubic[] = [
    [[2.5, 16.5], [6.7, 16.5], [7.8, 7.5], [12, 7.5]],
    [[12, 7.5], [16.2, 7.5], [17.3, 16.5], [21.5, 16.5]],
];

function polyline(curves: Cubic[], steps = 120): { pts: Pt[]; len: number[] } {
    const pts: Pt[] = [];
    for (const [a, b, c, d] of curves) {
        for (let i = pts.length ? 1 : 0; i <= steps; i++) {
            const t = i / steps, u = 1 - t;
            const k = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t];
            pts.push([k[0] * a[0] + k[1] * b[0] + k[2] * c[0] + k[3] * d[0], k[0] * a[1] + k[1] * b[1] + k[2] * c[1] + k[3] * d[1]]);
        }
    }
    const len = [0];
    for (let i = 1; i < pts.length; i++) len.push(len[i - 1] + Math.hypot(pts[i][0] - pts[i - 1][0], pts[i][1] - pts[i - 1][1]));
    return { pts, len };
}

/** Distance from p to the polyline and the arc length at the nearest point. */
function nearest(p: Pt, line: { pts: Pt[]; len: number[] }): { d: number; s: number } {
    let best = { d: Infinity, s: 0 };
    for (let i = 1; i < line.pts.length; i++) {
        const [ax, ay] = line.pts[i - 1], [bx, by] = line.pts[i];
        const dx = bx - ax, dy = by - ay;
        const t = Math.max(0, Math.min(1, ((p[0] - ax) * dx + (p[1] - ay) * dy) / (dx * dx + dy * dy || 1)));
        const d = Math.hypot(p[0] - ax - t * dx, p[1] - ay - t * dy);
        if (d < best.d) best = { d, s: line.len[i - 1] + t * (line.len[i] - line.len[i - 1]) };
    }
    return best;
}

const slm = polyline(SLM), llm = polyline(LLM);
const BG: [number, number, number] = [0x1f, 0x24, 0x30];
const SLM_RGB: [number, number, number] = [0x4a, 0xa3, 0xff];
const LLM_RGB: [number, number, number] = [0xf0, 0xa0, 0x20];

function insideRoundedSquare(x: number, y: number, r = 26): boolean {
    const cx = Math.min(Math.max(x, r), SIZE - r), cy = Math.min(Math.max(y, r), SIZE - r);
    return Math.hypot(x - cx, y - cy) <= r;
}

const rgba = Buffer.alloc(SIZE * SIZE * 4);
const SS = 4;
for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
        let r = 0, g = 0, b = 0, a = 0;
        for (let sy = 0; sy < SS; sy++) {
            for (let sx = 0; sx < SS; sx++) {
                const px = x + (sx + 0.5) / SS, py = y + (sy + 0.5) / SS;
                if (!insideRoundedSquare(px, py)) continue;
                const p: Pt = [px / SCALE, py / SCALE];
                let c = BG;
                const n1 = nearest(p, llm);
                if (n1.d <= STROKE / 2) c = LLM_RGB;
                const n2 = nearest(p, slm);
                // The SLM strand is dashed, and drawn over the LLM one where they cross.
                if (n2.d <= STROKE / 2 && n2.s % (DASH[0] + DASH[1]) < DASH[0]) c = SLM_RGB;
                r += c[0]; g += c[1]; b += c[2]; a += 255;
            }
        }
        const n = SS * SS, o = (y * SIZE + x) * 4;
        const cov = a / 255;
        rgba[o] = cov ? Math.round(r / cov) : 0;
        rgba[o + 1] = cov ? Math.round(g / cov) : 0;
        rgba[o + 2] = cov ? Math.round(b / cov) : 0;
        rgba[o + 3] = Math.round(a / n);
    }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
});
function crc32(buf: Buffer): number {
    let c = 0xffffffff;
    for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
}

const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) rgba.copy(raw, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);
const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
]);
writeFileSync(new URL("../media/icon.png", import.meta.url), png);
console.log(`media/icon.png: ${png.length} bytes`);
