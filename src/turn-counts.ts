/**
 * One source for a turn's counts. A stopped answer was counted in three places: the decoder's stats
 * (every token it wrote, including those after the Stop that nobody saw), the host's record (what it
 * sent before dropping its queue) and the view (what it painted before dropping what was in flight).
 * The turn keeps what the view showed, and its stats are counted from those tokens and switches, so
 * the thinking header, the timeline and the stats line read one value. Pure: used by the host
 * (session.ts) and by the view (model.ts), unit-tested.
 */
import type { StitchStats, TokenTuple, TurnSwitch } from "./protocol.ts";

/** What the view had shown of a turn when the user pressed Stop. */
export interface Shown {
    tokens: number;
    switches: number;
}

/** The parts of a turn that are cut back to what was shown. */
export interface Kept {
    tokens: TokenTuple[];
    tokenIds?: number[];
    switches?: TurnSwitch[];
}

/** Cuts a stopped turn back to what the view showed (never lengthens it). */
export function keepShown(turn: Kept, shown: Shown): void {
    const n = Math.max(0, Math.min(shown.tokens, turn.tokens.length));
    turn.tokens.length = n;
    if (turn.tokenIds && turn.tokenIds.length > n) turn.tokenIds.length = n;
    // A switch after the last shown token (the next model never wrote) goes with the tokens after it.
    if (turn.switches) turn.switches = turn.switches.slice(0, Math.max(0, shown.switches)).filter((s) => s.index <= n);
}

/**
 * The stats of a stopped turn counted from the tokens and switches it kept. What describes the
 * decoding's work (prefill, calls, wall times, discarded SLM tokens, the measured speed) stays as the
 * decoder measured it; what counts the output (tokens per model, total, switches, LLM share) is
 * recounted. Stats that already agree come back equal.
 */
export function keptStats(stats: StitchStats, tokens: readonly TokenTuple[], switches: readonly TurnSwitch[]): StitchStats {
    const llm = tokens.reduce((n, t) => n + (t[1] === "llm" ? 1 : 0), 0);
    const slm = tokens.length - llm;
    return {
        ...stats,
        slm: { ...stats.slm, tokens: slm },
        llm: { ...stats.llm, tokens: llm },
        totalTokens: tokens.length,
        switches: switches.length,
        llmShare: tokens.length ? llm / tokens.length : 0,
    };
}
