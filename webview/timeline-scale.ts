/**
 * The timeline's geometry, pure so it is unit-tested without a browser. Entropy is drawn on a square-
 * root scale: τ is about 0.01 while H spans 0–1, and on a linear scale everything at or near τ would
 * sit in the bottom pixel.
 */

/** Height of the plot area in CSS pixels. */
export const PLOT_HEIGHT = 64;
/** Pixels per token: at least MIN_STEP (the plot scrolls sideways beyond that), at most MAX_STEP. */
export const MIN_STEP = 2;
export const MAX_STEP = 8;
/** The smallest bar, so a token with H ≈ 0 still shows (and shows its model's colour). */
export const MIN_BAR = 2;
/** Axis labels: evenly spaced on the √ scale (0, ≈0.22, 0.5, 1 of the height). */
export const TICKS: readonly number[] = [0, 0.05, 0.25, 1];

/** Height (0–1 of the plot) of an entropy on the √ scale; out-of-range values are clamped. */
export function entropyHeight(h: number): number {
    if (!(h > 0)) return 0;
    return Math.sqrt(Math.min(h, 1));
}

/** The y coordinate (pixels from the top of the plot) of an entropy. */
export function entropyY(h: number): number {
    return PLOT_HEIGHT * (1 - entropyHeight(h));
}

/** A bar's top and height in pixels: never shorter than MIN_BAR. */
export function bar(h: number): { y: number; height: number } {
    const height = Math.max(MIN_BAR, PLOT_HEIGHT * entropyHeight(h));
    return { y: PLOT_HEIGHT - height, height };
}

/** Pixels per token for `count` tokens in `width` pixels. */
export function stepFor(count: number, width: number): number {
    if (count <= 0 || !(width > 0)) return MAX_STEP;
    return Math.min(MAX_STEP, Math.max(MIN_STEP, width / count));
}

/** The token under a pointer `x` pixels from the plot's left edge (undefined off the tokens). */
export function tokenAt(x: number, step: number, count: number): number | undefined {
    const i = Math.floor(x / step);
    return i >= 0 && i < count ? i : undefined;
}

/** The token under a pointer `x` pixels into the folded strip, which fits `count` tokens in `width` pixels. */
export function stripTokenAt(x: number, width: number, count: number): number | undefined {
    if (!(width > 0) || count <= 0 || x < 0 || x >= width) return undefined;
    return Math.min(count - 1, Math.floor((x / width) * count));
}

/** "0.05" → ".05": short axis labels. */
export function tickLabel(h: number): string {
    return h === 0 || h === 1 ? String(h) : String(h).replace(/^0\./, ".");
}
