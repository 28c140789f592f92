/**
 * The R-Stitch loop (DESIGN.md §1): the active model predicts, the router decides from its entropy,
 * an unsure SLM token is discarded and the LLM produces that same position, a sure LLM hands back.
 * Also runs the single-model modes, which are the loop with τ pinned to 1 (SLM) or 0 (LLM).
 */
import type { Token } from "node-llama-cpp";
import type { DoneEvent, Mode, Source, StitchEvent, StitchStats, StopReason, SwitchEvent, TokenEvent } from "./events.ts";
import type { Lane } from "./lane.ts";
import { initialSource, route } from "./router.ts";
import { pickToken, seededRandom } from "./sampler.ts";
import { StopDetector } from "./stop-detector.ts";

export interface StitchRun {
    mode: Exclude<Mode, "speculative">;
    lanes: Record<Source, Lane>;
    /** The prompt as each model's own chat template renders it. */
    promptTokens: Record<Source, Token[]>;
    threshold: number;
    budget: number;
    temperature: number;
    seed: number;
    isEndOfGeneration(token: Token): boolean;
    /** Text a token adds after the given preceding output tokens. */
    tokenText(token: Token, previous: readonly Token[]): string;
    stopTriggers: readonly string[];
    signal?: AbortSignal;
}

export function effectiveThreshold(mode: Exclude<Mode, "speculative">, threshold: number): number {
    return mode === "slm" ? 1 : mode === "llm" ? 0 : threshold;
}

export async function* stitch(run: StitchRun): AsyncGenerator<StitchEvent, void> {
    const started = performance.now();
    const tau = effectiveThreshold(run.mode, run.threshold);
    const random = seededRandom(run.seed);
    const output: Token[] = [];
    const emitted: TokenEvent[] = [];
    let switches = 0;
    let discarded = 0;
    let active: Source = initialSource(tau);
    let stopReason: StopReason = "budget";

    run.lanes.slm.append(run.promptTokens.slm);
    run.lanes.llm.append(run.promptTokens.llm);

    const detector = new StopDetector<TokenEvent | SwitchEvent>(run.stopTriggers, (e) => (e.type === "token" ? e.text : ""));
    const release = function* (items: (TokenEvent | SwitchEvent)[]) {
        for (const e of items) {
            if (e.type === "token") emitted.push(e);
            yield e;
        }
    };

    while (output.length < run.budget) {
        if (run.signal?.aborted) {
            stopReason = "abort";
            break;
        }
        const lane = run.lanes[active];
        const prediction = await lane.predict();
        const decision = route(active, prediction.entropy, tau);
        if (!decision.keep) {
            // The SLM was unsure: its token never enters the output or its cache; the LLM writes this position.
            discarded++;
            switches++;
            const sw: SwitchEvent = { type: "switch", index: output.length, from: active, to: decision.next, entropy: prediction.entropy };
            active = decision.next;
            const check = detector.push(sw);
            yield* release(check.release);
            continue;
        }
        const token = (run.temperature > 0 ? pickToken(prediction.distribution, run.temperature, random) : prediction.greedy) as Token;
        if (run.isEndOfGeneration(token)) {
            stopReason = "eog";
            break;
        }
        const text = run.tokenText(token, output);
        output.push(token);
        lane.chose(token);
        run.lanes.slm.append([token]);
        run.lanes.llm.append([token]);
        const ev: TokenEvent = { type: "token", index: output.length - 1, id: token, text, source: active, entropy: prediction.entropy };
        let check = detector.push(ev);
        yield* release(check.release);
        if (check.stopped) {
            stopReason = "stopTrigger";
            break;
        }
        if (decision.next !== active) {
            switches++;
            const sw: SwitchEvent = { type: "switch", index: output.length, from: active, to: decision.next, entropy: prediction.entropy };
            active = decision.next;
            check = detector.push(sw);
            yield* release(check.release);
        }
    }
    if (stopReason !== "stopTrigger") yield* release(detector.flush());

    yield done(run, tau, emitted, switches, discarded, stopReason, performance.now() - started);
}

function done(
    run: StitchRun, tau: number, emitted: readonly TokenEvent[], switches: number, discarded: number,
    stopReason: StopReason, wallMs: number,
): DoneEvent {
    const count = (s: Source) => emitted.filter((e) => e.source === s).length;
    const total = emitted.length;
    const stats: StitchStats = {
        mode: run.mode,
        threshold: tau,
        slm: { tokens: count("slm"), prefillTokens: run.lanes.slm.counters.prefill, wallMs: run.lanes.slm.counters.wallMs, calls: run.lanes.slm.counters.calls },
        llm: { tokens: count("llm"), prefillTokens: run.lanes.llm.counters.prefill, wallMs: run.lanes.llm.counters.wallMs, calls: run.lanes.llm.counters.calls },
        totalTokens: total,
        switches,
        discardedSlmTokens: discarded,
        llmShare: total ? count("llm") / total : 0,
        wallMs,
        tokensPerSecond: wallMs > 0 ? (total * 1000) / wallMs : 0,
    };
    return { type: "done", text: emitted.map((e) => e.text).join(""), stopReason, stats };
}
