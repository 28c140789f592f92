/**
 * How the R-Stitch loop decides who writes the next token, for each routing of the table
 * (src/modes.ts ROUTINGS): the paper's entropy rule alone (router.ts), or the rule with the adaptive
 * router consulted where it would hand over to the LLM (learned-router.ts), or the router with its cut
 * moved to hold a target LLM share (budget.ts). Every decision says why, for the trace.
 */
import type { Routing } from "../modes.ts";
import { budgetCut } from "./budget.ts";
import type { Source } from "./events.ts";
import { routerVerdict, type RouterWeights } from "./learned-router.ts";
import { FEATURE_COUNT, headOf, RouteTracker, routeFeatures } from "./route-features.ts";
import { route, type RouteDecision } from "./router.ts";
import type { Distribution } from "./sampler.ts";

export interface RoutingOptions {
    routing: Routing;
    /** Router and budget: the trained router and its cut (from a calibration). */
    router?: { weights: RouterWeights; cut: number };
    /** Budget: the LLM share to hold. */
    llmShare?: number;
}

export interface RoutedDecision extends RouteDecision {
    /** Why: set where the active model changes, or where the router kept the SLM against the rule. */
    reason?: string;
    /** The router was asked and kept the SLM. */
    stayed?: boolean;
}

const f3 = (x: number) => x.toFixed(3);

export class RoutingState {
    private readonly tracker = new RouteTracker();
    private readonly x = new Float64Array(FEATURE_COUNT);
    private llmTokens = 0;
    consulted = 0;
    stayed = 0;

    constructor(private readonly tau: number, private readonly options: RoutingOptions) {}

    decide(active: Source, entropy: number, dist: Distribution): RoutedDecision {
        const tau = this.tau;
        const o = this.options;
        const plain = route(active, entropy, tau);
        // The pinned edges (τ ≤ 0, τ ≥ 1) are the single-model modes: no lever moves them.
        if (tau <= 0 || tau >= 1) return plain;
        if (active === "llm") return plain.next === "slm" ? { ...plain, reason: `LLM sure: H ${f3(entropy)} ≤ τ ${tau}` } : plain;
        if (plain.keep) return plain;
        const rule = `H ${f3(entropy)} > τ ${tau}`;
        if (o.routing === "threshold" || !o.router) return { ...plain, reason: rule };
        this.consulted++;
        const cut = o.routing === "budget" ? budgetCut(o.router.cut, this.llmTokens, this.tracker.position, o.llmShare ?? 0.05) : o.router.cut;
        const verdict = routerVerdict(o.router.weights, routeFeatures(entropy, headOf(dist), this.tracker.context(), this.x), cut);
        const why = `${rule}; router P(differs) ${f3(verdict.p)} ${verdict.switch ? ">" : "≤"} cut ${f3(cut)}${o.routing === "budget" ? ` (LLM share target ${o.llmShare})` : ""}`;
        if (verdict.switch) return { keep: false, next: "llm", reason: why };
        this.stayed++;
        return { keep: true, next: "slm", reason: why, stayed: true };
    }

    /** A token was written (kept) by `source`. */
    wrote(source: Source, entropy: number, text: string): void {
        this.tracker.wrote(source, entropy, text);
        if (source === "llm") this.llmTokens++;
    }
}
