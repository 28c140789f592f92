/**
 * The calibration the editor routes with (`rstitch.routing` router | budget): the one Calibrate
 * Models wrote for this pair into the extension's storage, else the pair's own beside its models
 * (`NAME.calibration.json`, shipped for the demo pair). No `vscode` import, a pure function of paths:
 * the storage folder comes from the extension and the model paths from the settings the session
 * trusts, so nothing a workspace sets names the file. A missing or bad file is a one-line warning and
 * the entropy rule is used instead.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { calibrationPathFor, MAX_CALIBRATION_BYTES, parseCalibration, type Calibration } from "./decoder.ts";
import { ROUTING_TABLE, type Routing } from "../modes.ts";

export type PairCalibration =
    | { routing: Routing; calibration?: { file: string; calibration: Calibration } }
    | { routing: "threshold"; warning: string };

/**
 * Where Calibrate Models keeps a pair's calibration in `storageDir` (the extension's calibrations
 * folder): both models' names and a short hash of their absolute paths, so two pairs never share one.
 */
export function storedCalibrationPath(storageDir: string, slmPath: string, llmPath: string): string {
    const stem = (p: string) => basename(p).replace(/\.gguf$/i, "");
    const hash = createHash("sha256").update(`${resolve(slmPath)}\n${resolve(llmPath)}`).digest("hex").slice(0, 10);
    return join(storageDir, `${stem(slmPath)}+${stem(llmPath)}-${hash}.calibration.json`);
}

/** `storageDir`: the extension's calibrations folder, looked in first. */
export function pairCalibration(routing: Routing, slmPath: string, llmPath: string, remote: boolean, storageDir: string): PairCalibration {
    if (!ROUTING_TABLE[routing].needsCalibration) return { routing };
    const fallback = (why: string): PairCalibration => ({ routing: "threshold", warning: `rstitch.routing: ${routing} needs the pair's calibration; ${why}. Using the entropy rule (threshold) instead.` });
    if (remote) return fallback("the LLM runs on a server, so it cannot be calibrated here");
    const beside = calibrationPathFor(slmPath, llmPath);
    const file = [storedCalibrationPath(storageDir, slmPath, llmPath), beside].find((f) => existsSync(f));
    if (!file) return fallback(`there is none at ${beside} (make one with R-Stitch: Calibrate Models…, or rstitch calibrate --slm … --llm …)`);
    if (statSync(file).size > MAX_CALIBRATION_BYTES) return fallback(`${file} is too large to be one`);
    const read = parseCalibration(readFileSync(file, "utf8"));
    if (!read.ok) return fallback(`${file} cannot be used: ${read.reason}`);
    return { routing, calibration: { file, calibration: read.calibration } };
}
