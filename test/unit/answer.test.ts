import assert from "node:assert/strict";
import { test } from "node:test";
import { isCorrect, splitAnswer } from "../../src/stitch/answer.ts";

test("the last Answer line is the answer, the rest is thinking", () => {
    assert.deepEqual(splitAnswer("12+30=42\nAnswer: 42"), { thinking: "12+30=42", answer: "42" });
    assert.deepEqual(splitAnswer("Answer: 1\nso\nAnswer: 2\n"), { thinking: "Answer: 1\nso", answer: "2" });
});

test("text after </think> is the answer", () => {
    assert.deepEqual(splitAnswer("<think>hmm</think>\n\nIt is 7."), { thinking: "hmm", answer: "It is 7." });
});

test("no answer line means no answer", () => {
    assert.equal(splitAnswer("still thinking").answer, null);
});

test("answers compare without separators", () => {
    assert.ok(isCorrect("x\nAnswer: 1,081", "1081"));
    assert.ok(!isCorrect("x\nAnswer: 1080", "1081"));
    assert.ok(!isCorrect("x", "1081"));
});
