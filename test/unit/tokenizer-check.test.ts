import assert from "node:assert/strict";
import { test } from "node:test";
import { tokenizerDifference } from "../../src/stitch/tokenizer-check.ts";

const base = { model: "gpt2", pre: "default", tokens: ["a", "b", "<s>"], token_type: [1, 1, 3], merges: [], bos_token_id: 2, eos_token_id: 2 };

test("identical tokenizers agree", () => {
    assert.equal(tokenizerDifference(base, { ...base, tokens: [...base.tokens] }), null);
});

test("each kind of difference is named", () => {
    assert.match(tokenizerDifference(base, { ...base, model: "llama" })!, /tokenizer model differs.*gpt2.*llama/);
    assert.match(tokenizerDifference(base, { ...base, tokens: ["a", "b"] })!, /vocabulary size differs: SLM 3 tokens, LLM 2 tokens/);
    assert.match(tokenizerDifference(base, { ...base, tokens: ["a", "c", "<s>"] })!, /token 1 differs: SLM "b", LLM "c"/);
    assert.match(tokenizerDifference(base, { ...base, token_type: [1, 1, 1] })!, /type of token 2/);
    assert.match(tokenizerDifference(base, { ...base, eos_token_id: 1 })!, /eos_token_id differs/);
    assert.match(tokenizerDifference(base, { ...base, merges: ["a b"] })!, /merges differ/);
});
