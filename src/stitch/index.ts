/** The stitched decoder's public API. Knows nothing of VS Code. */
export type { Mode, Source, StitchEvent, TokenEvent, SwitchEvent, DoneEvent, ErrorEvent, StitchStats, ModelStats, StopReason, ChatMessage, PromptStats } from "./events.ts";
export { ModelPair, PairLoadError, type SolveOptions, type ModelInfo, type PairErrorCode } from "./pair.ts";
export { loadPair, loadPairs, type PairOptions } from "./pair-load.ts";
export { route, initialSource, type RouteDecision } from "./router.ts";
export { chooseEntropyMethod, normalisedEntropy, type EntropyMethod, type EntropySetting } from "./entropy.ts";
export { splitAnswer, replyOf, normaliseAnswer, finalAnswer, answersMatch, type FinalAnswer, type AnswerRule } from "./answer.ts";
export { DEFAULT_MODE, DEFAULT_THRESHOLD, DEFAULT_BUDGET, DEFAULT_CONTEXT_SIZE, DEFAULT_DRAFT_TOKENS, demoModelPaths, defaultThreads } from "./defaults.ts";
export { tokenizerDifference, paddingDifference } from "./tokenizer-check.ts";
export { checkPairFiles, type PairCheck } from "./pair-check.ts";
export { gpuOffloadProblem, gpuInUse } from "./runtime.ts";
export { leftOutNote, withoutOldestTurns } from "./prompt.ts";
export { calibrationPathFor, parseCalibration, MAX_CALIBRATION_BYTES, type Calibration } from "./calibration.ts";
