/**
 * Greedy speculative decoding over the project's own lanes (the `speculative` mode): the SLM drafts
 * up to k tokens greedily and the LLM scores them all in one batch, reading its own prediction after
 * every position. Walking those predictions, the LLM's token is kept at each position; the walk goes
 * on while it equals the draft and stops at the first disagreement (the LLM's token is the
 * correction). Rejected drafts are cut from both KV caches. Every kept token is the one the LLM
 * would write one token at a time, so the output is exactly the LLM-only output, in fewer LLM passes.
 * Greedy only: with a temperature the engine runs the LLM-only loop (engines.ts).
 */
import type { Token } from "node-llama-cpp";
import type { DoneEvent, Mode, Source, StitchEvent, StitchStats, StopReason } from "./events.ts";
import { Output } from "./output.ts";
import { stitchStats } from "./stats.ts";
import type { VerifyLane } from "./stitch-lane.ts";
import type { DecodeRun } from "./stitcher.ts";

export interface DraftVerifyRun extends DecodeRun {
    mode: Mode;
    lanes: Record<Source, VerifyLane>;
    promptTokens: Record<Source, Token[]>;
    /** Most tokens the SLM drafts per LLM pass. */
    draftTokens: number;
}

export async function* draftVerify(run: DraftVerifyRun): AsyncGenerator<StitchEvent, void> {
    const started = performance.now();
    const { slm, llm } = run.lanes;
    const output = new Output(run.detokenize, run.stopTriggers);
    const out: Token[] = [];
    let proposed = 0;
    let accepted = 0;
    let stopReason: StopReason | undefined;

    slm.append(run.promptTokens.slm);
    llm.append(run.promptTokens.llm);
    const promptLength = { slm: run.promptTokens.slm.length, llm: run.promptTokens.llm.length };

    /** Appends a kept token to the output; returns false when decoding must stop. */
    function* keep(token: Token, entropy: number): Generator<StitchEvent, boolean> {
        if (run.isEndOfGeneration(token)) {
            stopReason = "eog";
            return false;
        }
        out.push(token);
        yield* output.token({ index: out.length - 1, id: token, source: "llm", entropy });
        if (output.stopped) {
            stopReason = "stopTrigger";
            return false;
        }
        return true;
    }

    while (stopReason === undefined && out.length < run.budget) {
        if (run.signal?.aborted) {
            stopReason = "abort";
            break;
        }
        // The SLM drafts (after catching up on the output), the LLM verifies in one pass.
        const room = run.budget - out.length;
        const draft: Token[] = [];
        while (draft.length < Math.min(run.draftTokens, room - 1)) {
            const t = (await slm.predict()).greedy as Token;
            draft.push(t);
            if (run.isEndOfGeneration(t)) break;
            slm.chose(t);
            slm.append([t]);
        }
        proposed += draft.length;
        const predictions = draft.length ? await llm.score(draft) : [await llm.predict()];
        for (let i = 0; ; i++) {
            const p = predictions[i];
            const token = p.greedy as Token;
            if (!(yield* keep(token, p.entropy))) break;
            if (i >= draft.length || token !== draft[i] || out.length >= run.budget) break;
            accepted++;
        }
        if (stopReason !== undefined) break;
        // Both caches keep prompt ⊕ output up to the last kept token, which each lane still has to read.
        const last = out[out.length - 1];
        await llm.rewindTo(promptLength.llm + out.length - 1);
        llm.append([last]);
        llm.chose(last);
        await slm.rewindTo(promptLength.slm + out.length - 1);
        if (slm.length < promptLength.slm + out.length) slm.append([last]);
    }
    yield* output.finish();

    const wallMs = performance.now() - started;
    const stats: StitchStats = {
        ...stitchStats({ mode: run.mode, threshold: 0, emitted: output.emitted, counters: { slm: slm.counters, llm: llm.counters }, switches: 0, discarded: 0, wallMs, prompt: run.prompt }),
        draft: { proposed, accepted, llmPasses: llm.counters.calls },
    };
    const done: DoneEvent = { type: "done", text: output.fullText, stopReason: stopReason ?? "budget", stats };
    yield done;
}
