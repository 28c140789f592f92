/**
 * Greedy speculative decoding over the project's own lanes, and R-Stitch with its LLM spans decoded
 * that way.
 *
 * While the LLM is active, the SLM drafts up to k tokens greedily and the LLM scores them all in one
 * batch, reading its own prediction after every position. Walking those predictions, the LLM's token
 * is kept at each position; the walk goes on while it equals the draft and the routing rule keeps
 * the LLM active, and stops at the first disagreement (the LLM's token is the correction) or where
 * the LLM's entropy is ≤ τ (hand back to the SLM, as in plain R-Stitch). Rejected drafts are cut from
 * both KV caches. Every decision is the one the LLM would take one token at a time, so:
 *  - mode "draft-verify" (τ = 0, the LLM writes everything) gives exactly the LLM-only tokens;
 *  - mode "stitch-spec" gives exactly plain R-Stitch's tokens at the same τ, only faster;
 *  - mode "stitch-eager" too, with the LLM reading the SLM's tokens in the background (prefetch).
 * Greedy only: the pair runs the plain modes when a temperature is set.
 */
import type { Token } from "node-llama-cpp";
import type { BatchLane } from "./batch-lane.ts";
import type { DoneEvent, Source, StitchEvent, StitchStats, StopReason, SwitchEvent } from "./events.ts";
import { Output } from "./output.ts";
import { initialSource, route } from "./router.ts";
import { stitchStats } from "./stats.ts";
import type { DecodeRun } from "./stitcher.ts";

export interface DraftVerifyRun extends DecodeRun {
    mode: "draft-verify" | "stitch-spec" | "stitch-eager";
    lanes: Record<Source, BatchLane>;
    promptTokens: Record<Source, Token[]>;
    threshold: number;
    /** Most tokens the SLM drafts per LLM pass. */
    draftTokens: number;
}

export async function* draftVerify(run: DraftVerifyRun): AsyncGenerator<StitchEvent, void> {
    const started = performance.now();
    const tau = run.mode === "draft-verify" ? 0 : run.threshold;
    const { slm, llm } = run.lanes;
    const output = new Output(run.detokenize, run.stopTriggers);
    const out: Token[] = [];
    let switches = 0;
    let discarded = 0;
    let proposed = 0;
    let accepted = 0;
    let active: Source = initialSource(tau);
    /** LLM passes since the LLM last took over. */
    let spanPasses = 0;
    let stopReason: StopReason | undefined;

    // stitch-eager: the LLM keeps up with the output on its own thread while the SLM writes.
    const eager = run.mode === "stitch-eager" && tau > 0 && tau < 1;
    slm.append(run.promptTokens.slm);
    llm.append(run.promptTokens.llm);
    if (eager) llm.prefetch();
    const promptLength = { slm: run.promptTokens.slm.length, llm: run.promptTokens.llm.length };

    const switchTo = (next: Source, entropy: number): SwitchEvent => {
        switches++;
        const event: SwitchEvent = { type: "switch", index: out.length, from: active, to: next, entropy };
        active = next;
        return event;
    };
    /** Appends a kept token everywhere; returns false when decoding must stop. */
    function* keep(token: Token, source: Source, entropy: number): Generator<StitchEvent, boolean> {
        if (run.isEndOfGeneration(token)) {
            stopReason = "eog";
            return false;
        }
        out.push(token);
        yield* output.token({ index: out.length - 1, id: token, source, entropy });
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
        if (active === "slm") {
            const prediction = await slm.predict();
            const decision = route("slm", prediction.entropy, tau);
            if (!decision.keep) {
                discarded++;
                yield* output.switch(switchTo("llm", prediction.entropy));
                continue;
            }
            const token = prediction.greedy as Token;
            if (!(yield* keep(token, "slm", prediction.entropy))) break;
            slm.chose(token);
            slm.append([token]);
            llm.append([token]);
            if (eager) llm.prefetch();
            continue;
        }

        // LLM active: the SLM drafts (after catching up on the output), the LLM verifies in one pass.
        // Most LLM spans of R-Stitch are one token long (it hands back at once), so the first pass of
        // a span drafts nothing; drafting starts once the LLM has stayed active.
        const room = run.budget - out.length;
        const draftLength = tau > 0 && spanPasses === 0 ? 0 : run.draftTokens;
        spanPasses++;
        const draft: Token[] = [];
        while (draft.length < Math.min(draftLength, room - 1)) {
            const p = await slm.predict();
            const t = p.greedy as Token;
            draft.push(t);
            if (run.isEndOfGeneration(t)) break;
            slm.chose(t);
            slm.append([t]);
        }
        proposed += draft.length;
        const predictions = draft.length ? await llm.score(draft) : [await llm.predict()];
        let i = 0;
        let handBack = false;
        for (; ; i++) {
            const p = predictions[i];
            const token = p.greedy as Token;
            if (!(yield* keep(token, "llm", p.entropy))) break;
            const decision = route("llm", p.entropy, tau);
            handBack = decision.next === "slm";
            if (handBack || i >= draft.length || token !== draft[i] || out.length >= run.budget) break;
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
        if (handBack) {
            spanPasses = 0;
            yield* output.switch(switchTo("slm", predictions[i].entropy));
        }
    }
    yield* output.finish();

    const wallMs = performance.now() - started;
    const stats: StitchStats = {
        ...stitchStats({ mode: run.mode, threshold: tau, emitted: output.emitted, counters: { slm: slm.counters, llm: llm.counters }, switches, discarded, wallMs }),
        draft: { proposed, accepted, llmPasses: llm.counters.calls },
    };
    const done: DoneEvent = { type: "done", text: output.fullText, stopReason: stopReason ?? "budget", stats };
    yield done;
}
