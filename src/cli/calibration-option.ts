/**
 * `--calibration FILE`, `--routing threshold|router|budget` and `--llm-share X` for solve, chat, eval
 * and bench: reads and checks the calibration (a bad file is one line, exit 2), or finds the one
 * beside the models when a routing needs it.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { ROUTING_TABLE, ROUTINGS } from "../modes.ts";
import { calibrationPathFor, MAX_CALIBRATION_BYTES, parseCalibration } from "../stitch/calibration.ts";
import { demoModelPaths, type SolveOptions } from "../stitch/index.ts";
import { packageRoot, type ModelValues } from "./models.ts";
import { number, oneOf } from "./options.ts";
import { UsageError } from "./usage.ts";

export const ROUTING_OPTIONS = {
    routing: { type: "string" },
    calibration: { type: "string" },
    "llm-share": { type: "string" },
} as const;

export type RoutingValues = Pick<SolveOptions, "routing" | "calibration" | "llmShare">;

/** Reads a calibration file; a missing or bad one is a UsageError that says what is wrong. */
export function readCalibration(file: string): NonNullable<SolveOptions["calibration"]> {
    const path = resolve(file);
    if (!existsSync(path)) throw new UsageError(`--calibration ${file}: no such file; make one with rstitch calibrate --out ${file}.`);
    if (!statSync(path).isFile()) throw new UsageError(`--calibration ${file} is a folder, not a calibration file.`);
    if (statSync(path).size > MAX_CALIBRATION_BYTES) throw new UsageError(`--calibration ${file} is larger than ${MAX_CALIBRATION_BYTES / 1024} KiB; it is not a calibration.`);
    const read = parseCalibration(readFileSync(path, "utf8"));
    if (!read.ok) throw new UsageError(`--calibration ${file} cannot be used: ${read.reason}.`);
    return { file: path, calibration: read.calibration };
}

/** The pair's own calibration beside its models (models/demo.calibration.json for the demo pair), if there is one. */
export function calibrationBeside(v: ModelValues): string | undefined {
    if (v["llm-url"] !== undefined && v.llm === undefined && v.slm === undefined) return undefined;
    const demo = demoModelPaths(packageRoot());
    const path = calibrationPathFor(resolve(v.slm ?? demo.slm), resolve(v.llm ?? demo.llm));
    return existsSync(path) ? path : undefined;
}

export function routingValues(v: ModelValues & { routing?: string; calibration?: string; "llm-share"?: string }): RoutingValues {
    const asked = oneOf("routing", v.routing, ROUTINGS);
    const llmShare = number("llm-share", v["llm-share"], 0, 1);
    if (llmShare !== undefined && asked !== "budget") throw new UsageError("--llm-share goes with --routing budget (the LLM share the budget holds).");
    // A calibration given without a routing routes with its router.
    const routing = asked ?? (v.calibration !== undefined ? "router" : undefined);
    let file = v.calibration;
    if (file === undefined && routing !== undefined && ROUTING_TABLE[routing].needsCalibration) {
        file = calibrationBeside(v);
        if (file === undefined) throw new UsageError(`--routing ${routing} needs a calibration of the pair: run rstitch calibrate (same --slm/--llm), then pass --calibration FILE.`);
    }
    return {
        ...(routing ? { routing } : {}),
        ...(file !== undefined ? { calibration: readCalibration(file) } : {}),
        ...(llmShare !== undefined ? { llmShare } : {}),
    };
}
