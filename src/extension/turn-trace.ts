/**
 * A conversation turn to a trace file and back (pure: no `vscode`, unit-tested in Node). A turn is
 * exported only when it holds everything the trace promises: finished, and every token's id kept.
 */
import type { TokenTuple, Turn } from "../protocol.ts";
import { makeTrace, type Trace } from "../trace.ts";

export type Exportable = { ok: true; trace: Trace } | { ok: false; reason: string };

export function traceOfTurn(turn: Turn): Exportable {
    if (turn.state === "running") return { ok: false, reason: "this answer is still being written; export it when it has finished" };
    if (turn.state === "error" || !turn.stats || !turn.stopReason) return { ok: false, reason: "this answer ended with an error, so it has no stats to export" };
    const ids = turn.tokenIds;
    if (!ids || ids.length !== turn.tokens.length) return { ok: false, reason: "this answer was recorded without its token ids (by an older R-Stitch); ask it again to export it" };
    return {
        ok: true,
        trace: makeTrace({
            prompt: turn.prompt,
            ...(turn.messages !== undefined ? { messages: turn.messages.map((m) => ({ ...m })) } : {}),
            ...(turn.label !== undefined ? { label: turn.label } : {}),
            models: turn.models,
            mode: turn.mode,
            threshold: turn.threshold,
            budget: turn.budget ?? turn.stats.totalTokens,
            tokens: turn.tokens.map(([text, source, entropy], i) => ({ id: ids[i], text, source, entropy })),
            switches: (turn.switches ?? []).map((s) => ({ ...s })),
            stats: turn.stats,
            answer: turn.answer ?? null,
            stopReason: turn.stopReason,
        }),
    };
}

/** A trace opened from `fileName`, as a finished, read-only turn of the conversation. */
export function turnOfTrace(trace: Trace, id: string, fileName: string): Turn {
    // The first token after a switch carries the entropy that caused it, as in a live turn (the last
    // switch at a position wins: the LLM can hand back and take over again before writing).
    const handover = new Map(trace.switches.map((s) => [s.index, s.entropy]));
    return {
        id,
        kind: "solve",
        prompt: trace.prompt,
        ...(trace.messages !== undefined ? { messages: trace.messages.map((m) => ({ ...m })) } : {}),
        ...(trace.label !== undefined ? { label: trace.label } : {}),
        mode: trace.mode,
        threshold: trace.threshold,
        models: trace.models,
        tokens: trace.tokens.map((t, i): TokenTuple => {
            const h = handover.get(i);
            return h === undefined ? [t.text, t.source, t.entropy] : [t.text, t.source, t.entropy, h];
        }),
        tokenIds: trace.tokens.map((t) => t.id),
        switches: trace.switches.map((s) => ({ ...s })),
        budget: trace.budget,
        state: "done",
        answer: trace.answer,
        stopReason: trace.stopReason,
        stats: trace.stats,
        openedFrom: fileName,
    };
}
