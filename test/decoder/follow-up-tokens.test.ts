/**
 * The trainer's conversations are exactly what the product sends: for training conversations of one
 * to three turns (tools/tasks.py --tokens), the tokens before the last answer equal the demo pair's
 * own rendering of that conversation through the product's prompt path (ModelPair.renderPrompts,
 * src/stitch/prompt.ts), and the loss counts exactly the answers and their end-of-turn tokens.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, test } from "node:test";
import { demoModelPaths, loadPair, type ChatMessage, type ModelPair } from "../../src/stitch/index.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
let pair: ModelPair;
before(async () => {
    const demo = demoModelPaths(ROOT);
    pair = await loadPair({ slmPath: demo.slm, llmPath: demo.llm, threads: 1, contextSize: 512 });
});
after(async () => {
    await pair?.dispose();
});

test("training conversations are token for token the prompts the product renders, with the loss on the answers only", () => {
    const r = spawnSync("python3", ["tools/tasks.py", "--tokens", "30"], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const rows = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { turns: [string, string][]; tokens: number[]; mask: boolean[] });
    assert.equal(rows.length, 30);
    const turnCounts = new Set(rows.map((c) => c.turns.length));
    assert.deepEqual([...turnCounts].sort(), [1, 2, 3], "one-, two- and three-turn conversations");
    for (const { turns, tokens, mask } of rows) {
        const history: ChatMessage[] = turns.slice(0, -1).flatMap(([q, a]) => [{ role: "user" as const, text: q }, { role: "assistant" as const, text: a }]);
        const [question, answer] = turns[turns.length - 1];
        const prompts = pair.renderPrompts(question, undefined, history);
        const answerTokens = [...pair.tokenize(answer, false), ...pair.tokenize("<|im_end|>", true)];
        assert.deepEqual(tokens, [...prompts.slm.tokens, ...answerTokens], question);
        assert.deepEqual(prompts.llm.tokens, prompts.slm.tokens);
        // The loss: every answer's tokens and its <|im_end|>, nothing of the questions or the template.
        const written = tokens.filter((_, i) => mask[i]).length;
        const answers = turns.reduce((n, [, a]) => n + pair.tokenize(a, false).length + 1, 0);
        assert.equal(written, answers);
        assert.deepEqual(tokens.slice(-answerTokens.length).map((_, i) => mask[tokens.length - answerTokens.length + i]), answerTokens.map(() => true));
    }
});
