/**
 * The R-Stitch loop (docs/ARCHITECTURE.md §1): the active model predicts, the router decides from its entropy,
 * an unsure SLM token is discarded and the LLM produces that same position, a sure LLM hands back.
 * Also runs the single-model modes, which are the loop with τ pinned to 1 (SLM) or 0 (LLM).
 */
import type { Token } from "node-llama-cpp";
import { effectiveThreshold } from "../modes.ts";
import type { CalibrationStats, DoneEvent, Mode, Source, StitchEvent, StitchStats, StopReason, SwitchEvent } from "./events.ts";
import type { StitchLane } from "./stitch-lane.ts";
import { Output } from "./output.ts";
import { initialSource } from "./router.ts";
import { RoutingState, type RoutingOptions } from "./routing.ts";
import { pickToken, seededRandom } from "./sampler.ts";
import { stitchStats } from "./stats.ts";

export interface DecodeRun {
    budget: number;
    temperature: number;
    seed: number;
    isEndOfGeneration(token: Token): boolean;
    /** Detokenises output tokens (the shared tokenizer). */
    detokenize(tokens: number[]): string;
    stopTriggers: readonly string[];
    signal?: AbortSignal;
    /** The rendered conversation: its length, and the turns left out to fit `contextSize`. */
    prompt: { tokens: number; turnsLeftOut: number; contextSize: number };
}

export interface StitchRun extends DecodeRun {
    /** A mode whose engine is this loop; its τ comes from the table (slm: 1, llm: 0). */
    mode: Mode;
    lanes: Record<Source, StitchLane>;
    /** The prompt as each model's own chat template renders it. */
    promptTokens: Record<Source, Token[]>;
    threshold: number;
    /** How hand-overs are decided (default: the entropy rule alone) and, with a calibration, what to report. */
    routing?: RoutingOptions;
    calibration?: Omit<CalibrationStats, "consulted" | "stayed">;
    /** Sees every prediction, kept or discarded (a calibration's teacher, calibrate-collect.ts). */
    observe?: (o: ObservedPrediction) => void;
}

export interface ObservedPrediction {
    source: Source;
    /** The output position predicted. */
    index: number;
    entropy: number;
    greedy: number;
    distribution: ReadonlyMap<number, number>;
}

export async function* stitch(run: StitchRun): AsyncGenerator<StitchEvent, void> {
    const started = performance.now();
    const tau = effectiveThreshold(run.mode, run.threshold);
    const random = seededRandom(run.seed);
    const output = new Output(run.detokenize, run.stopTriggers);
    let length = 0;
    let switches = 0;
    let discarded = 0;
    let active: Source = initialSource(tau);
    let stopReason: StopReason = "budget";
    const routing = new RoutingState(tau, run.routing ?? { routing: "threshold" });
    // The previous token's text, for the router's step-boundary feature (one detokenisation per id).
    const texts = new Map<number, string>();
    const textOf = (id: number) => {
        let t = texts.get(id);
        if (t === undefined) texts.set(id, (t = run.detokenize([id])));
        return t;
    };

    run.lanes.slm.append(run.promptTokens.slm);
    run.lanes.llm.append(run.promptTokens.llm);

    const switchTo = (next: Source, entropy: number, reason?: string): SwitchEvent => {
        switches++;
        const event: SwitchEvent = { type: "switch", index: length, from: active, to: next, entropy, ...(reason ? { reason } : {}) };
        active = next;
        return event;
    };

    while (length < run.budget) {
        if (run.signal?.aborted) {
            stopReason = "abort";
            break;
        }
        const lane = run.lanes[active];
        let prediction;
        try {
            prediction = await lane.predict();
        } catch (e) {
            // Stop pressed while a (remote) lane was waiting: a stop, not a failure.
            if (run.signal?.aborted) {
                stopReason = "abort";
                break;
            }
            // A failing lane (e.g. the LLM server went away): flush the text written so far, then report.
            yield* output.finish();
            throw e;
        }
        run.observe?.({ source: active, index: length, entropy: prediction.entropy, greedy: prediction.greedy, distribution: prediction.distribution });
        const decision = routing.decide(active, prediction.entropy, prediction.distribution);
        if (!decision.keep) {
            // The SLM was unsure: its token never enters the output or its cache; the LLM writes this position.
            discarded++;
            yield* output.switch(switchTo(decision.next, prediction.entropy, decision.reason));
            continue;
        }
        const token = (run.temperature > 0 ? pickToken(prediction.distribution, run.temperature, random) : prediction.greedy) as Token;
        if (run.isEndOfGeneration(token)) {
            stopReason = "eog";
            break;
        }
        lane.chose(token);
        run.lanes.slm.append([token]);
        run.lanes.llm.append([token]);
        routing.wrote(active, prediction.entropy, run.routing?.router ? textOf(token) : "");
        yield* output.token({ index: length++, id: token, source: active, entropy: prediction.entropy });
        if (output.stopped) {
            stopReason = "stopTrigger";
            break;
        }
        if (decision.next !== active) yield* output.switch(switchTo(decision.next, prediction.entropy, decision.reason));
    }
    yield* output.finish();

    const wallMs = performance.now() - started;
    const lanes = run.lanes;
    const stats: StitchStats = {
        ...stitchStats({ mode: run.mode, threshold: tau, emitted: output.emitted, counters: { slm: lanes.slm.counters, llm: lanes.llm.counters }, switches, discarded, wallMs, prompt: run.prompt }),
        ...(lanes.llm.remote ? { remote: { ...lanes.llm.remote } } : {}),
        ...(run.calibration ? { calibration: { ...run.calibration, consulted: routing.consulted, stayed: routing.stayed } } : {}),
    };
    const done: DoneEvent = { type: "done", text: output.fullText, stopReason, stats };
    yield done;
}
