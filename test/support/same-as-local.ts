/**
 * The check every remote-LLM test makes: on each prompt, the pair whose LLM runs on a server writes
 * exactly the all-local pair's tokens (ids and models), text and stop reason. Returns what the tests
 * report or bound: the largest entropy difference, the LLM's tokens and the server requests.
 */
import assert from "node:assert/strict";
import type { ModelPair } from "../../src/stitch/index.ts";
import { collect } from "./collect.ts";

export async function sameAsLocal(local: ModelPair, remote: ModelPair, threshold: number, prompts: readonly string[], budget: number): Promise<{ llmTokens: number; maxDelta: number; requests: number }> {
    let llmTokens = 0;
    let maxDelta = 0;
    let requests = 0;
    for (const prompt of prompts) {
        const options = { prompt, mode: "stitch" as const, threshold, budget };
        const here = await collect(local, options);
        const there = await collect(remote, options);
        assert.deepEqual(there.tokens.map((x) => [x.id, x.source]), here.tokens.map((x) => [x.id, x.source]), prompt);
        assert.equal(there.done.text, here.done.text);
        assert.equal(there.done.stopReason, here.done.stopReason);
        for (let i = 0; i < here.tokens.length; i++) maxDelta = Math.max(maxDelta, Math.abs(here.tokens[i].entropy - there.tokens[i].entropy));
        llmTokens += there.done.stats.llm.tokens;
        requests += there.done.stats.remote?.requests ?? 0;
    }
    return { llmTokens, maxDelta, requests };
}
