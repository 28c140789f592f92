/**
 * The budget controller: the user sets a target LLM share instead of τ, and the router's cut moves
 * during the answer to hold it. Below the target the cut falls (hand over more readily), above it
 * the cut rises. Pure: a function of the running share and the base cut.
 */

/** Pseudo-tokens at the target share that start every answer, so its first tokens do not swing the cut. */
export const BUDGET_PRIOR_TOKENS = 16;
/** How hard the cut reacts to the share's relative distance from the target. */
export const BUDGET_GAIN = 2;

/** The share so far, pulled towards the target by the prior. */
export function runningShare(llmTokens: number, tokens: number, target: number): number {
    return (llmTokens + target * BUDGET_PRIOR_TOKENS) / (tokens + BUDGET_PRIOR_TOKENS);
}

/**
 * The cut a hand-over score (the router's P(disagree), or the entropy) must exceed now: the base cut
 * scaled by e^(gain · (share − target) / target), within [0, 1]. A target of 0 never hands over
 * (cut 1), a target of 1 always does (cut 0).
 */
export function budgetCut(baseCut: number, llmTokens: number, tokens: number, target: number): number {
    if (target <= 0) return 1;
    if (target >= 1) return 0;
    const share = runningShare(llmTokens, tokens, target);
    return Math.min(1, Math.max(0, baseCut * Math.exp((BUDGET_GAIN * (share - target)) / target)));
}
