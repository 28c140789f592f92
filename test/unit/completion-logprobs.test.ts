import assert from "node:assert/strict";
import { test } from "node:test";
import { readChunkTokens, tokenNames } from "../../src/stitch/remote/completion-logprobs.ts";
import { RemoteLlmError } from "../../src/stitch/remote/errors.ts";
import { statedLimit } from "../../src/stitch/remote/openai-llm.ts";

const names = tokenNames(4, (id) => ["a", "b", "\uFFFD", "\uFFFD"][id]);
const W = "The server";

test("vLLM's token_id:N keys give the ids, whatever the text", () => {
    const [t] = readChunkTokens({ logprobs: { tokens: ["token_id:3"], top_logprobs: [{ "token_id:3": Math.log(0.75), "token_id:2": Math.log(0.25) }] } }, undefined, W);
    assert.equal(t.id, 3);
    assert.deepEqual([...t.byId], [[3, 0.75], [2, 0.25]]);
});

test("token text is turned back into an id only where one token has it; a shared text still counts for the entropy", () => {
    const [t] = readChunkTokens({ logprobs: { tokens: ["a"], top_logprobs: [{ a: Math.log(0.5), "\uFFFD": Math.log(0.5) }] } }, names, W);
    assert.equal(t.id, 0);
    assert.deepEqual([...t.byId], [[0, 0.5]]);
    assert.equal(t.listed.length, 2);
});

test("a chosen token named by a shared text is an error, unless token_ids says which it is", () => {
    const choice = { logprobs: { tokens: ["\uFFFD"], top_logprobs: [{ "\uFFFD": 0 }] } };
    assert.throws(() => readChunkTokens(choice, names, W), (e: unknown) => e instanceof RemoteLlmError && e.code === "bad-answer" && /several tokens share/.test(e.message));
    assert.equal(readChunkTokens({ ...choice, token_ids: [2] }, names, W)[0].id, 2);
});

test("llama-server's content[] entries carry ids directly; a chunk without log-probabilities carries no token", () => {
    const [t] = readChunkTokens({ logprobs: { content: [{ id: 1, logprob: -0.1, top_logprobs: [{ id: 1, logprob: -0.1 }] }] } }, undefined, W);
    assert.equal(t.id, 1);
    assert.deepEqual(readChunkTokens({ text: "", logprobs: null, finish_reason: "stop" }, undefined, W), []);
});

test("the logprobs limit a server states when it refuses", () => {
    assert.equal(statedLimit("Requested sample logprobs of 260, which is greater than max allowed: 20"), 20);
    assert.equal(statedLimit("bad request"), undefined);
});
