/**
 * The calibration file (`rstitch calibrate` writes it, `--calibration FILE` and the extension read it):
 * a pair's τ for a stated target, its trained router and the LLM share the budget holds by default.
 * Declared once as a schema; a file is untrusted input, checked field by field, refused in one line.
 */
import { basename, dirname, join } from "node:path";
import { ROUTING_TABLE, type Routing } from "../modes.ts";
import { FieldError, integer, list, literal, number, object, oneOf, optional, parse, refine, string, type Infer } from "../schema.ts";
import type { CalibrationStats } from "./events.ts";
import { FEATURE_COUNT, FEATURE_NAMES } from "./route-features.ts";
import type { RoutingOptions } from "./routing.ts";

export const CALIBRATION_FORMAT = "rstitch-calibration";
export const CALIBRATION_VERSION = 1;
export const MAX_CALIBRATION_BYTES = 1024 * 1024;

const measuredSchema = object({
    /** Of the calibration answers: written exactly as the LLM would (replayed), LLM share, hand-overs per answer. */
    agreement: number(0, 1),
    llmShare: number(0, 1),
    handOvers: number(0),
    /** Modelled time relative to LLM-only (lower is faster). */
    relativeCost: number(0),
});

const numbers = list(number(), FEATURE_COUNT);

export const calibrationSchema = refine(
    object({
        format: literal(CALIBRATION_FORMAT, () => `it is not an R-Stitch calibration ("format" is not "${CALIBRATION_FORMAT}")`),
        version: literal(CALIBRATION_VERSION, (v) =>
            typeof v === "number" && v > CALIBRATION_VERSION ? `it is a version ${v} calibration; this R-Stitch reads version ${CALIBRATION_VERSION} (update R-Stitch)` : `"version" is not ${CALIBRATION_VERSION}`),
        /** The model files it was made for (names only). */
        pair: object({ slm: string, llm: string }),
        created: string,
        /** Prompts the pair answered, and hand-over points the router was trained on. */
        prompts: integer(1),
        trainedOn: integer(),
        target: object({ kind: oneOf(["agreement", "accuracy"] as const), value: number(0, 100), text: string }),
        /** The entropy rule alone: the τ that meets the target. */
        threshold: object({ tau: number(0, 1), measured: measuredSchema }),
        router: object({
            /** Consulted where H > tau; switches where P(differs) > cut. */
            tau: number(0, 1),
            cut: number(0, 1),
            features: list(string, FEATURE_COUNT),
            mean: numbers,
            scale: numbers,
            weights: numbers,
            bias: number(),
            measured: measuredSchema,
        }),
        /** The LLM share the budget routing holds unless told otherwise. */
        budget: object({ llmShare: number(0, 1) }),
        /** Where the prompts came from (a file's name, or "built-in"). */
        source: optional(string),
    }),
    (c, at) => {
        const r = c.router;
        if (r.features.join() !== FEATURE_NAMES.join()) return `${at.prefix}router.features are not this R-Stitch's (${FEATURE_NAMES.join(", ")}); calibrate the pair again`;
        for (const k of ["mean", "scale", "weights"] as const) if (r[k].length !== FEATURE_COUNT) return `${at.prefix}router.${k} has ${r[k].length} entries, not ${FEATURE_COUNT}`;
        if (r.scale.some((s) => s <= 0)) return `${at.prefix}router.scale has an entry ≤ 0`;
        return undefined;
    },
);
export interface Calibration extends Infer<typeof calibrationSchema> {}

export type CalibrationRead = { ok: true; calibration: Calibration } | { ok: false; reason: string };

/** Reads a calibration's text; never throws. */
export function parseCalibration(text: string): CalibrationRead {
    if (text.length > MAX_CALIBRATION_BYTES) return { ok: false, reason: `it is larger than ${MAX_CALIBRATION_BYTES / 1024} KiB` };
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch {
        return { ok: false, reason: "it is not JSON" };
    }
    try {
        return { ok: true, calibration: parse(calibrationSchema, json, "the calibration") };
    } catch (e) {
        if (e instanceof FieldError) return { ok: false, reason: e.message };
        throw e;
    }
}

/**
 * Where a pair's calibration lives beside its models: `NAME.calibration.json` for the project's
 * `NAME-slm.gguf` + `NAME-llm.gguf` pairs (models/demo.calibration.json), otherwise
 * `SLM+LLM.calibration.json` beside the LLM.
 */
export function calibrationPathFor(slmPath: string, llmPath: string): string {
    const stem = (p: string) => basename(p).replace(/\.gguf$/i, "");
    const s = stem(slmPath), l = stem(llmPath);
    const shared = /^(.+)-slm$/.exec(s)?.[1];
    const name = shared !== undefined && l === `${shared}-llm` ? shared : `${s}+${l}`;
    return join(dirname(llmPath), `${name}.calibration.json`);
}

/** What a solve routes with, from a calibration and the routing asked for. */
export interface CalibratedRouting {
    threshold: number;
    routing: RoutingOptions;
    stats: Omit<CalibrationStats, "consulted" | "stayed">;
}

export function calibratedRouting(c: Calibration, file: string, routing: Routing, llmShare?: number): CalibratedRouting {
    const weights = { mean: c.router.mean, scale: c.router.scale, weights: c.router.weights, bias: c.router.bias };
    const share = llmShare ?? c.budget.llmShare;
    const stats = { file: basename(file), target: c.target.text, routing };
    if (!ROUTING_TABLE[routing].needsCalibration) return { threshold: c.threshold.tau, routing: { routing }, stats };
    return {
        threshold: c.router.tau,
        routing: { routing, router: { weights, cut: c.router.cut }, ...(routing === "budget" ? { llmShare: share } : {}) },
        stats: { ...stats, cut: c.router.cut, ...(routing === "budget" ? { llmShare: share } : {}) },
    };
}
