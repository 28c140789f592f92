/**
 * How the R-Stitch loop decides who writes the next token, for each routing of the table
 * (src/modes.ts ROUTINGS): the paper's entropy rule alone (router.ts), or the rule with the adaptive
 * router consulted where it would hand over to the LLM (learned-router.ts), or the router with its cut
 * moved to hold a target LLM share (budget.ts). Beside them, a bench lever: routing at step boundaries
 * (GlimpRouter), where only a step's first token is routed. Every decision says why, for the trace.
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
    /**
     * Bench lever, routing at step boundaries: at a step's first position (route-features.ts endsStep)
     * an SLM entropy above this hands the whole step to the LLM; elsewhere nobody switches.
     */
    stepThreshold?: number;
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

    /** The step lever's τ_s; off at the pinned edges, which stay the single-model modes. */
    private get stepTau(): number | undefined {
        return this.tau > 0 && this.tau < 1 ? this.options.stepThreshold : undefined;
    }

    /** wrote() needs the tokens' texts (the router's features, step boundaries). */
    get readsText(): boolean {
        return this.options.router !== undefined || this.options.stepThreshold !== undefined;
    }

    decide(active: Source, entropy: number, dist: Distribution): RoutedDecision {
        const tau = this.tau;
        const o = this.options;
        const plain = route(active, entropy, tau);
        // The pinned edges (τ ≤ 0, τ ≥ 1) are the single-model modes: no lever moves them.
        if (tau <= 0 || tau >= 1) return plain;
        const tauS = this.stepTau;
        if (tauS !== undefined) {
            // Steps: only a step's first token is routed, by the SLM; the LLM keeps the step (stepEnd hands back).
            if (active === "llm" || !this.tracker.atStepStart || entropy <= tauS) return { keep: true, next: active };
            return { keep: false, next: "llm", reason: `step start: H ${f3(entropy)} > τ_s ${tauS}` };
        }
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

    /**
     * Step routing, after `active` wrote a token: the LLM hands back once it wrote a step's last token
     * (known only from the token's text, so not in decide, which runs before the token is chosen).
     */
    stepEnd(active: Source): RoutedDecision | undefined {
        if (this.stepTau === undefined || active !== "llm" || !this.tracker.atStepStart) return undefined;
        return { keep: true, next: "slm", reason: "step end: the LLM wrote a line's last token" };
    }

    /** A token was written (kept) by `source`. */
    wrote(source: Source, entropy: number, text: string): void {
        this.tracker.wrote(source, entropy, text);
        if (source === "llm") this.llmTokens++;
    }
}
