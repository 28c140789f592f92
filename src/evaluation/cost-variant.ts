/**
 * An LLM that writes exactly the given LLM's tokens at a chosen LLM/SLM per-token cost ratio: the
 * same file with zero-output layers added (src/gguf/zero-layers.ts), written once into a cache folder
 * and reused. The layer count is either given or chosen from measurements: the decode cost of the
 * source and of a probe variant, against the SLM's, fitted as a straight line in the layer count.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { blockCount, writeWithZeroLayers } from "../gguf/zero-layers.ts";
import { validateGguf } from "../gguf/validate.ts";
import { modelsCacheDir, type CacheDirContext } from "../models/cache-dir.ts";

/** Where variants are cached: beside the CLI's models folder (…/rstitch/cost-variants). */
export function costVariantDir(ctx: CacheDirContext): string {
    return join(dirname(modelsCacheDir({ ...ctx, env: { ...ctx.env, RSTITCH_MODELS_DIR: undefined } })), "cost-variants");
}

export function sourceLayers(src: string): number {
    return blockCount(validateGguf(src));
}

/** The variant of `src` with `layers` layers in all, written unless already cached (named by the source's content). */
export function ensureVariant(src: string, layers: number, dir: string): string {
    const base = sourceLayers(src);
    if (!Number.isInteger(layers) || layers < base) throw new Error(`a variant of ${basename(src)} needs at least its own ${base} layers, got ${layers}`);
    const hash = createHash("sha256").update(readFileSync(src)).digest("hex").slice(0, 12);
    const out = join(dir, `${basename(src, ".gguf")}-${layers}L-${hash}.gguf`);
    if (existsSync(out)) return out;
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed, so a run stopped halfway or a second bench never sees half a file.
    const part = `${out}.${process.pid}.part`;
    try {
        writeWithZeroLayers(src, part, layers - base);
        renameSync(part, out);
    } finally {
        rmSync(part, { force: true });
    }
    return out;
}

/** Decode ms per token of the SLM and of the LLM file given, measured together. */
export type MeasureDecode = (llmPath: string) => Promise<{ slmMs: number; llmMs: number }>;

export interface LayerFit {
    targetRatio: number;
    /** Measured points: total layers, SLM and LLM decode ms per token (medians of the rounds). */
    points: { layers: number; slmMs: number; llmMs: number }[];
    /** LLM ms per token ≈ fixedMs + perLayerMs × layers. */
    fixedMs: number;
    perLayerMs: number;
    layers: number;
    /** The ratio the line predicts at `layers`. */
    predictedRatio: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** The layer count the line through two measured points gives for the target ratio (the source's own count at least). */
export function fitLayers(targetRatio: number, points: LayerFit["points"], minLayers: number): LayerFit {
    const [a, b] = points;
    const perLayerMs = (b.llmMs - a.llmMs) / (b.layers - a.layers);
    const fixedMs = a.llmMs - perLayerMs * a.layers;
    const slmMs = median(points.map((p) => p.slmMs));
    if (!(perLayerMs > 0)) throw new Error(`the probe with ${b.layers} layers was not slower than ${a.layers} layers (${b.llmMs.toFixed(3)} vs ${a.llmMs.toFixed(3)} ms/token): the machine is too noisy to fit`);
    const layers = Math.max(minLayers, Math.round((targetRatio * slmMs - fixedMs) / perLayerMs));
    return { targetRatio, points, fixedMs, perLayerMs, layers, predictedRatio: (fixedMs + perLayerMs * layers) / slmMs };
}

/**
 * Chooses the layer count for `targetRatio`: measures the source and a probe with `probeFactor` × its
 * layers, alternately over `rounds` rounds (so machine load falls on both), and fits the line.
 */
export async function chooseLayers(src: string, targetRatio: number, dir: string, measure: MeasureDecode, { probeFactor = 4, rounds = 3 } = {}): Promise<LayerFit> {
    const base = sourceLayers(src);
    const probe = ensureVariant(src, base * probeFactor, dir);
    const runs: Record<"base" | "probe", { slmMs: number; llmMs: number }[]> = { base: [], probe: [] };
    for (let r = 0; r < rounds; r++) {
        runs.base.push(await measure(src));
        runs.probe.push(await measure(probe));
    }
    const point = (layers: number, xs: { slmMs: number; llmMs: number }[]) => ({ layers, slmMs: median(xs.map((x) => x.slmMs)), llmMs: median(xs.map((x) => x.llmMs)) });
    return fitLayers(targetRatio, [point(base, runs.base), point(base * probeFactor, runs.probe)], base);
}

export type CostTarget = { layers: number } | { ratio: number; measure: MeasureDecode };

export interface CostVariant {
    path: string;
    source: string;
    sourceLayers: number;
    layers: number;
    /** How the layer count was chosen, when from a target ratio. */
    fit?: LayerFit;
}

/** The LLM variant of `src` for a layer count or a target cost ratio, built into `dir` (or reused from it). */
export async function makeCostVariant(src: string, target: CostTarget, dir: string): Promise<CostVariant> {
    const base = sourceLayers(src);
    const fit = "ratio" in target ? await chooseLayers(src, target.ratio, dir, target.measure) : undefined;
    const layers = fit?.layers ?? (target as { layers: number }).layers;
    return { path: ensureVariant(src, layers, dir), source: src, sourceLayers: base, layers, ...(fit ? { fit } : {}) };
}
