/**
 * The cheap per-token features the adaptive router reads at a hand-over point (R-Stitch+ without
 * hidden states, which node-llama-cpp does not expose): all from the SLM's next-token distribution
 * and the answer so far. Pure; one pass over the distribution.
 */
import type { Distribution } from "./sampler.ts";

export const FEATURE_NAMES = [
    "entropy", "logEntropy", "top1", "margin", "top5", "logPosition", "logSinceLlm", "afterNewline", "afterDigit", "recentEntropy",
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export const FEATURE_COUNT = FEATURE_NAMES.length;

/** What the loop knows about the answer so far, beside the SLM's prediction. */
export interface RouteContext {
    /** Output position of the token being decided. */
    position: number;
    /** Tokens written since the LLM last wrote one (the position itself when it never did). */
    sinceLlm: number;
    /** The previous token's text ends a line (a step boundary) / is a digit. */
    afterNewline: boolean;
    afterDigit: boolean;
    /** Mean entropy of the last few written tokens (0 at the start). */
    recentEntropy: number;
}

export interface Head {
    top1: number;
    margin: number;
    top5: number;
}

/** The top-1 probability, its margin over the second, and the mass of the five most likely tokens. */
export function headOf(dist: Distribution): Head {
    const top = [0, 0, 0, 0, 0];
    let total = 0;
    for (const p of dist.values()) {
        total += p;
        if (p <= top[4]) continue;
        let i = 4;
        while (i > 0 && top[i - 1] < p) {
            top[i] = top[i - 1];
            i--;
        }
        top[i] = p;
    }
    // The lists come back renormalised over themselves; divide by their sum in case it is not 1.
    const z = total > 0 ? total : 1;
    return { top1: top[0] / z, margin: (top[0] - top[1]) / z, top5: (top[0] + top[1] + top[2] + top[3] + top[4]) / z };
}

/** The feature vector, in FEATURE_NAMES' order, into `out` (reused: no allocation per token). */
export function routeFeatures(entropy: number, h: Head, ctx: RouteContext, out = new Float64Array(FEATURE_COUNT)): Float64Array {
    out[0] = entropy;
    out[1] = Math.log(entropy + 1e-4);
    out[2] = h.top1;
    out[3] = h.margin;
    out[4] = h.top5;
    out[5] = Math.log1p(ctx.position);
    out[6] = Math.log1p(ctx.sinceLlm);
    out[7] = ctx.afterNewline ? 1 : 0;
    out[8] = ctx.afterDigit ? 1 : 0;
    out[9] = ctx.recentEntropy;
    return out;
}

/** Keeps the running part of the context (recent entropies, tokens since the LLM wrote) as tokens are written. */
export class RouteTracker {
    private readonly recent: number[] = [];
    private sinceLlmCount = 0;
    private lastText = "";
    position = 0;

    constructor(private readonly window = 4) {}

    wrote(source: "slm" | "llm", entropy: number, text: string): void {
        this.position++;
        this.sinceLlmCount = source === "llm" ? 0 : this.sinceLlmCount + 1;
        this.recent.push(entropy);
        if (this.recent.length > this.window) this.recent.shift();
        if (text) this.lastText = text;
    }

    context(): RouteContext {
        const n = this.recent.length;
        const last = this.lastText.at(-1) ?? "";
        return {
            position: this.position,
            sinceLlm: this.sinceLlmCount,
            afterNewline: last === "\n",
            afterDigit: last >= "0" && last <= "9",
            recentEntropy: n ? this.recent.reduce((a, x) => a + x, 0) / n : 0,
        };
    }
}
