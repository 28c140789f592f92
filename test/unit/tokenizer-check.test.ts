import assert from "node:assert/strict";
import { test } from "node:test";
import { paddingDifference, tokenizerDifference } from "../../src/stitch/tokenizer-check.ts";

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

// Same-family pairs padded differently (Qwen3 0.6B–8B: 151,936 entries; Qwen2.5 7B/14B: 152,064).
const padded = (n: number, padType = 5) => ({
    ...base,
    tokens: [...base.tokens, ...Array.from({ length: n }, (_, i) => `[PAD${base.tokens.length + i}]`)],
    token_type: [...base.token_type, ...Array.from({ length: n }, () => padType)],
});

test("vocabularies that differ only in padding are the same tokenizer", () => {
    assert.equal(tokenizerDifference(padded(2), padded(5)), null);
    assert.equal(tokenizerDifference(base, padded(3)), null);
    // Older conversions typed the [PAD<id>] entries USER_DEFINED; the name still says padding.
    assert.equal(tokenizerDifference(padded(1, 4), base), null);
    assert.equal(paddingDifference(padded(2), padded(5)), 3);
});

test("extra entries that are real tokens are not padding", () => {
    const extra = { ...base, tokens: [...base.tokens, "<think>"], token_type: [...base.token_type, 4] };
    assert.equal(
        tokenizerDifference(base, extra),
        `vocabulary size differs: SLM 3 tokens, LLM 4 tokens, and the LLM's extra token 3 "<think>" is not padding`,
    );
    // A [PAD<id>] name at the wrong id is not the converter's padding either.
    const misnamed = { ...base, tokens: [...base.tokens, "[PAD7]"], token_type: [...base.token_type, 1] };
    assert.match(tokenizerDifference(misnamed, base)!, /SLM's extra token 3 "\[PAD7\]" is not padding/);
});

test("a special token spelled differently, or a different end token, blocks the pair", () => {
    assert.equal(tokenizerDifference(base, { ...base, tokens: ["a", "b", "</s>"] }), `special token 2 differs: SLM "<s>", LLM "</s>"`);
    assert.equal(tokenizerDifference(padded(2), { ...padded(4), eos_token_id: 1 }), "special token eos_token_id differs: SLM 2, LLM 1");
});

test("an EOT id stated by one file only is no difference; two different EOT ids are", () => {
    assert.equal(tokenizerDifference(base, { ...base, eot_token_id: 2 }), null);
    assert.equal(tokenizerDifference({ ...base, eot_token_id: 1 }, { ...base, eot_token_id: 2 }), "special token eot_token_id differs: SLM 1, LLM 2");
});
