/**
 * The extension's single door into the decoder (src/stitch). Everything else in src/extension imports
 * decoder types and functions from here, so an API change in src/stitch is adapted in one file.
 * src/stitch loads node-llama-cpp itself with a lazy `import()`, so importing this costs nothing
 * until a model pair is loaded.
 */
import { isErrorCode, type PairErrorCode } from "../error-codes.ts";

export { calibrationPathFor, MAX_CALIBRATION_BYTES, parseCalibration, type Calibration } from "../stitch/index.ts";
export { checkPairFiles, gpuInUse, gpuOffloadProblem, DEFAULT_BUDGET, DEFAULT_CONTEXT_SIZE, DEFAULT_THRESHOLD, defaultThreads, demoModelPaths, leftOutNote, loadPair, PairLoadError, replyOf, splitAnswer, withoutOldestTurns } from "../stitch/index.ts";
export type { ModelPair } from "../stitch/index.ts";
export type { ChatMessage, Mode, Source, StitchEvent, StitchStats, StopReason } from "../stitch/events.ts";

/** The fields of a PairLoadError the extension relies on (checked by shape: robust across bundles). */
export interface PairLoadFailure {
    message: string;
    code: PairErrorCode;
    path?: string;
}

export function asPairLoadFailure(err: unknown): PairLoadFailure | undefined {
    const e = err as Partial<PairLoadFailure> | null;
    if (typeof e !== "object" || e === null || !isErrorCode("pair", e.code)) return undefined;
    return { message: String(e.message ?? e.code), code: e.code, path: typeof e.path === "string" ? e.path : undefined };
}
