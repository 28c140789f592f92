/**
 * The R-Stitch routing rule (entropy version), as a pure function.
 *
 * One threshold τ serves both directions:
 *  - SLM active, H > τ  → the SLM's token is discarded and the LLM takes this same position;
 *  - LLM active, H ≤ τ  → the LLM's token is kept and the SLM takes the next position;
 *  - otherwise the token is kept and the active model stays.
 * The edges are pinned so the invariants hold exactly: τ ≤ 0 means the LLM writes every token,
 * τ ≥ 1 means the SLM writes every token (whatever rounding does to H at 0 or 1).
 */
import type { Source } from "./events.ts";

export interface RouteDecision {
    /** Keep the active model's token at this position. */
    keep: boolean;
    /** The model that produces the next prediction (for the same position when keep is false). */
    next: Source;
}

export function route(active: Source, entropy: number, threshold: number): RouteDecision {
    if (threshold <= 0) return { keep: active === "llm", next: "llm" };
    if (threshold >= 1) return { keep: true, next: "slm" };
    if (active === "slm") {
        return entropy > threshold ? { keep: false, next: "llm" } : { keep: true, next: "slm" };
    }
    return { keep: true, next: entropy <= threshold ? "slm" : "llm" };
}

/** The model that is active at the first position. */
export function initialSource(threshold: number): Source {
    return threshold <= 0 ? "llm" : "slm";
}
