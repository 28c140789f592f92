/**
 * The decode loops behind the table's `engine` field (src/modes.ts): the pair looks a mode's engine
 * up here, so a mode is a table row and only a new loop is a new entry.
 */
import type { Token } from "node-llama-cpp";
import { effectiveThreshold, ROUTING_TABLE, type Engine, type Mode, type Routing } from "../modes.ts";
import { calibratedRouting, type Calibration } from "./calibration.ts";
import type { EntropySetting } from "./entropy.ts";
import type { ChatMessage, Source, StitchEvent } from "./events.ts";
import { DEFAULT_DRAFT_TOKENS, DEFAULT_THRESHOLD } from "./defaults.ts";
import { draftVerify } from "./draft-verify.ts";
import type { InProcessModel, LlmBackend } from "./llm-backend.ts";
import type { LocalModel } from "./local-model.ts";
import type { RenderedPrompt } from "./prompt.ts";
import { stitch, type DecodeRun, type StitchRun } from "./stitcher.ts";

export interface SolveOptions {
    /** The new question. */
    prompt: string;
    system?: string;
    /**
     * The conversation before it, oldest first: questions and the answers given (an answer's
     * thinking is left out, as reasoning templates do). The oldest turns leave the prompt when it
     * would not fit the context with the budget; the stats say how many (stats.prompt.turnsLeftOut).
     */
    history?: readonly ChatMessage[];
    /**
     * Keep what each model read in earlier turns, so a follow-up evaluates only its new text
     * (default true; false reads the whole conversation again, the reference for the benchmark).
     */
    reuse?: boolean;
    mode?: Mode;
    threshold?: number;
    budget?: number;
    temperature?: number;
    seed?: number;
    entropy?: EntropySetting;
    topK?: number;
    /** Modes that draft: draft tokens per step. */
    draftTokens?: number;
    /** stitch: how hand-overs are decided (default threshold: the entropy rule alone). */
    routing?: Routing;
    /** A pair's calibration (rstitch calibrate): its τ, router and budget; `file` names it in the stats. */
    calibration?: { file: string; calibration: Calibration };
    /** budget routing: the LLM share to hold (default: the calibration's). */
    llmShare?: number;
    /** stitch: sees every prediction, kept or discarded (a calibration's teacher). */
    observe?: StitchRun["observe"];
    signal?: AbortSignal;
}

/** One solve as an engine receives it: the pair has checked the mode can run here and rendered the prompts. */
export interface EngineInput {
    mode: Mode;
    options: SolveOptions;
    /** Budget (already fitted to the context), sampling, end of generation, stop triggers, signal. */
    run: DecodeRun;
    prompts: Record<Source, RenderedPrompt>;
}

export interface EngineRunner {
    run(input: EngineInput): AsyncGenerator<StitchEvent, void>;
    dispose(): Promise<void>;
}

/** The LLM's own model, for an engine that needs it (the pair refuses modes marked needsLocalLlm before). */
function inProcess(llm: LlmBackend, mode: Mode): InProcessModel {
    if (!llm.local) throw new Error(`${mode} mode needs the LLM on this machine.`);
    return llm.local;
}

/** One pair's engines; each keeps whatever state it needs across solves and frees it on dispose. */
export function createEngines(slm: LocalModel, llm: LlmBackend): Record<Engine, EngineRunner> {
    const promptTokens = (prompts: Record<Source, RenderedPrompt>): Record<Source, Token[]> => ({ slm: prompts.slm.tokens, llm: prompts.llm.tokens });

    const stitchEngine: EngineRunner = {
        async *run({ mode, options, run, prompts }) {
            const routing = options.routing ?? "threshold";
            if (ROUTING_TABLE[routing].needsCalibration && !options.calibration) {
                throw new Error(`${routing} routing needs a calibration of the pair (rstitch calibrate, then --calibration FILE).`);
            }
            const calibrated = options.calibration ? calibratedRouting(options.calibration.calibration, options.calibration.file, routing, options.llmShare) : undefined;
            const threshold = options.threshold ?? calibrated?.threshold ?? DEFAULT_THRESHOLD;
            const request = { entropy: options.entropy, topK: options.topK, threshold: effectiveThreshold(mode, threshold), budget: run.budget, signal: options.signal, reuse: options.reuse };
            const lanes = { slm: await slm.stitchLane({ ...request, source: "slm" }), llm: await llm.stitchLane({ ...request, source: "llm" }) };
            try {
                yield* stitch({
                    ...run, mode, lanes, promptTokens: promptTokens(prompts), threshold,
                    routing: calibrated?.routing ?? { routing },
                    ...(calibrated ? { calibration: calibrated.stats } : {}),
                    ...(options.observe ? { observe: options.observe } : {}),
                });
            } finally {
                await lanes.slm.close();
                await lanes.llm.close();
            }
        },
        async dispose() {},
    };

    const draftVerifyEngine: EngineRunner = {
        async *run(input) {
            // Sampling has no single LLM token to verify against: the loop at the mode's τ (0) gives the same distribution.
            if (input.run.temperature > 0) return yield* stitchEngine.run(input);
            const { mode, options, run, prompts } = input;
            const request = { entropy: options.entropy, topK: options.topK, reuse: options.reuse };
            // The SLM only drafts (greedy tokens); the LLM's entropy is what the output shows.
            const lanes = {
                slm: await slm.verifyLane("slm", { ...request, readEntropy: false }),
                llm: await inProcess(llm, mode).verifyLane("llm", { ...request, readEntropy: true }),
            };
            try {
                yield* draftVerify({ ...run, mode, lanes, promptTokens: promptTokens(prompts), draftTokens: options.draftTokens ?? DEFAULT_DRAFT_TOKENS });
            } finally {
                await lanes.llm.close();
                await lanes.slm.close();
            }
        },
        async dispose() {},
    };

    return { stitch: stitchEngine, "draft-verify": draftVerifyEngine };
}
