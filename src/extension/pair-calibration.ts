/**
 * The calibration the editor routes with (`rstitch.routing` router | budget): the pair's own beside
 * its models (`NAME.calibration.json`, shipped for the demo pair). No `vscode` import; a missing or
 * bad file is a one-line warning and the entropy rule is used instead.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { calibrationPathFor, MAX_CALIBRATION_BYTES, parseCalibration, type Calibration } from "./decoder.ts";
import { ROUTING_TABLE, type Routing } from "../modes.ts";

export type PairCalibration =
    | { routing: Routing; calibration?: { file: string; calibration: Calibration } }
    | { routing: "threshold"; warning: string };

export function pairCalibration(routing: Routing, slmPath: string, llmPath: string, remote: boolean): PairCalibration {
    if (!ROUTING_TABLE[routing].needsCalibration) return { routing };
    const file = calibrationPathFor(slmPath, llmPath);
    const fallback = (why: string): PairCalibration => ({ routing: "threshold", warning: `rstitch.routing: ${routing} needs the pair's calibration; ${why}. Using the entropy rule (threshold) instead.` });
    if (remote) return fallback("the LLM runs on a server, so it cannot be calibrated here");
    if (!existsSync(file)) return fallback(`there is none at ${file} (make one with rstitch calibrate --slm … --llm …)`);
    if (statSync(file).size > MAX_CALIBRATION_BYTES) return fallback(`${file} is too large to be one`);
    const read = parseCalibration(readFileSync(file, "utf8"));
    if (!read.ok) return fallback(`${file} cannot be used: ${read.reason}`);
    return { routing, calibration: { file, calibration: read.calibration } };
}
