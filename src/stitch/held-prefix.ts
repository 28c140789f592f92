/**
 * Reuse between turns: a model's sequence keeps the conversation it read in earlier turns, and a
 * new turn's tokens usually begin with it. Only the tokens after the longest common prefix are
 * evaluated again; the sequence forgets whatever it held past that prefix.
 */
import type { LlamaContextSequence, Token } from "node-llama-cpp";

/**
 * Cuts `sequence` back to its longest common prefix with `tokens` and returns that prefix's length,
 * at most tokens.length − 1: the last token is always evaluated, as its prediction is what is asked.
 * `reuse` false: the sequence is cleared (every token is evaluated, the reference for reuse).
 */
export async function keepHeldPrefix(sequence: LlamaContextSequence, tokens: readonly Token[], reuse: boolean): Promise<number> {
    const held = sequence.contextTokens;
    if (held.length === 0) return 0;
    let keep = 0;
    const limit = Math.min(held.length, tokens.length - 1);
    while (keep < limit && held[keep] === tokens[keep]) keep++;
    // With sliding-window attention the cache may no longer hold the start of the prefix: read it all again.
    if (!reuse || keep === 0 || sequence.stateCellsStartIndex > 0) {
        await sequence.clearHistory();
        return 0;
    }
    if (keep < held.length) await sequence.eraseContextTokenRanges([{ start: keep, end: held.length }]);
    return keep;
}
