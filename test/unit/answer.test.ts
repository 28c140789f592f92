import assert from "node:assert/strict";
import { test } from "node:test";
import { answersMatch, finalAnswer, normaliseAnswer, splitAnswer } from "../../src/stitch/answer.ts";
import { scoreAnswer } from "../../src/evaluation/score.ts";

/** Whether eval and bench would score the text as correct (their one scoring path). */
const isCorrect = (text: string, expected: string) => scoreAnswer(text, expected).correct;

// --- splitAnswer: thinking vs reply (what the chat view shows) ---

test("the last Answer line is the answer, the rest is thinking", () => {
    assert.deepEqual(splitAnswer("12+30=42\nAnswer: 42"), { thinking: "12+30=42", answer: "42" });
    assert.deepEqual(splitAnswer("Answer: 1\nso\nAnswer: 2\n"), { thinking: "Answer: 1\nso", answer: "2" });
});

test("text after </think> is the reply", () => {
    assert.deepEqual(splitAnswer("<think>hmm</think>\n\nIt is 7."), { thinking: "hmm", answer: "It is 7." });
});

test("no answer line means no answer", () => {
    assert.equal(splitAnswer("still thinking").answer, null);
});

test("a think block cut off by the budget has no reply, even if the thinking has an Answer line", () => {
    assert.deepEqual(splitAnswer("<think>\nTry 5.\nAnswer: 5? No, check again"), { thinking: "Try 5.\nAnswer: 5? No, check again", answer: null });
});

// --- finalAnswer on realistic transcripts ---

const R1_STYLE = `<think>
Okay, so I need to find 47 times 36. Let me break it down. 47 times 30 is 1410, and 47 times 6 is 282.
Adding them: 1410 + 282 = 1692. Wait, let me double-check with another method: 50 * 36 = 1800, minus 3 * 36 = 108, so 1800 - 108 = 1692. Yes.
</think>

To compute \\(47 \\times 36\\):

1. \\(47 \\times 30 = 1410\\)
2. \\(47 \\times 6 = 282\\)
3. \\(1410 + 282 = 1692\\)

**Final Answer**
\\[
\\boxed{1692}
\\]`;

const QWEN3_STYLE = `<think>
The user asks for the sum of the first 10 positive integers. n(n+1)/2 = 10*11/2 = 55.
</think>

The sum of the first 10 positive integers is given by the formula $\\frac{n(n+1)}{2}$.

$$\\frac{10 \\cdot 11}{2} = 55$$

**Answer:** 55`;

test("DeepSeek-R1 style: \\boxed{} after </think> wins over every number in the thinking", () => {
    assert.deepEqual(finalAnswer(R1_STYLE), { value: "1692", rule: "boxed", from: "reply" });
    assert.ok(isCorrect(R1_STYLE, "1692"));
    assert.ok(!isCorrect(R1_STYLE, "1800"));
});

test("Qwen3 style: **Answer:** after </think>", () => {
    assert.deepEqual(finalAnswer(QWEN3_STYLE), { value: "55", rule: "marker", from: "reply" });
    assert.ok(isCorrect(QWEN3_STYLE, "55"));
});

test("the answer conventions, each after </think>", () => {
    const cases: [string, string][] = [
        ["<think>x</think>\nAnswer: 1692", "1692"],
        ["<think>x</think>\nThe answer is 1692.", "1692."],
        ["<think>x</think>\nSo the final answer is: 1,692", "1,692"],
        ["<think>x</think>\nFinal answer: -7", "-7"],
        ["<think>x</think>\nNatalia sold 48 + 24 = 72 clips.\n#### 72", "72"],
        ["<think>x</think>\nThe answer is $\\boxed{\\frac{3}{4}}$.", "\\frac{3}{4}"],
    ];
    for (const [text, value] of cases) assert.equal(finalAnswer(text)?.value, value, text);
    assert.ok(isCorrect("<think>x</think>\nThe answer is 1692.", "1692"));
    assert.ok(isCorrect("<think>x</think>\nThe answer is $\\boxed{\\frac{3}{4}}$.", "3/4"));
});

test("several boxed answers: the last one counts; nested braces are kept whole", () => {
    const text = "<think>first guess \\boxed{10}</think>\nEarlier I wrote \\boxed{12}, but correcting: \\boxed{\\frac{1}{2}} and \\boxed{2^{10}}";
    assert.deepEqual(finalAnswer(text), { value: "2^{10}", rule: "boxed", from: "reply" });
    assert.equal(finalAnswer("\\boxed{\\text{yes}} then \\boxed{unclosed")?.value, "\\text{yes}");
});

test("a boxed answer beats a later Answer line; the later of two markers wins", () => {
    assert.equal(finalAnswer("<think>a</think>\n\\boxed{5}\nAnswer: 6")?.value, "5");
    assert.equal(finalAnswer("<think>a</think>\nAnswer: 5\nOn reflection, the answer is 6.")?.value, "6.");
});

test("fallback: the last number of the reply, then of the whole text", () => {
    assert.deepEqual(finalAnswer("<think>7 * 6 = 42</think>\nSo we get 42 in total."), { value: "42", rule: "last-number", from: "reply" });
    // A reply with no number: the thinking is searched too.
    assert.deepEqual(finalAnswer("<think>It is 12 - 5 = 7</think>\nSeven."), { value: "7", rule: "last-number", from: "whole" });
    // "5-3": the minus is an operator, not a sign.
    assert.equal(finalAnswer("5-3")?.value, "3");
    assert.equal(finalAnswer("<think>no numbers here</think>\nnone"), null);
});

test("a transcript cut off inside <think> is searched whole, and says so", () => {
    const truncated = "<think>\nLet me compute 47 * 36. 47 * 30 = 1410, 47 * 6 = 282, total 1410 + 282 = 16";
    assert.deepEqual(finalAnswer(truncated), { value: "16", rule: "last-number", from: "whole" });
    assert.ok(!isCorrect(truncated, "1692"));
    assert.deepEqual(finalAnswer("<think>\nSo \\boxed{1692} is it, let me verify"), { value: "1692", rule: "boxed", from: "whole" });
});

test("the demo pair's format is unchanged: working lines, then Answer: N", () => {
    const demo = "47*36\n47*6=282\n47*30=1410\n282+1410=1692\nAnswer: 1692";
    assert.deepEqual(finalAnswer(demo), { value: "1692", rule: "marker", from: "reply" });
    assert.ok(isCorrect(demo, "1692"));
    assert.ok(!isCorrect(demo.replace("Answer: 1692", "Answer: 1693"), "1692"));
    assert.ok(isCorrect("x\nAnswer: 1,081", "1081"));
});

test("normalisation: separators, trailing period, TeX wrappers, bold, case", () => {
    assert.equal(normaliseAnswer("$1,692$."), "1692");
    assert.equal(normaliseAnswer("\\text{Yes}"), "yes");
    assert.equal(normaliseAnswer("\\dfrac{3}{4}"), "3/4");
    assert.equal(normaliseAnswer("\\( \\left( 1, 2 \\right) \\)"), "(1,2)");
    assert.equal(normaliseAnswer("**−5**"), "-5");
    assert.equal(normaliseAnswer("12,34"), "12,34", "a comma that is not a thousands separator stays");
});

test("matching: a number followed by words or units, a decimal form, a fraction", () => {
    assert.ok(answersMatch("1692 apples", "1692"));
    assert.ok(answersMatch("$1692.00", "1692"));
    assert.ok(answersMatch("\\frac{1}{2}", "0.5"));
    assert.ok(answersMatch("72 clips", "72"));
    assert.ok(!answersMatch("1693", "1692"));
    assert.ok(!answersMatch("no", "yes"));
    assert.ok(answersMatch("\\text{(B)}", "(b)"));
});

test("scoreAnswer, the one scoring function of eval and bench, reports what it read", () => {
    assert.deepEqual(scoreAnswer(R1_STYLE, "1692"), { correct: true, extracted: "1692", rule: "boxed" });
    assert.deepEqual(scoreAnswer("<think>hmm", "3"), { correct: false, extracted: null, rule: null });
    assert.deepEqual(scoreAnswer("<think>a</think>\nThe answer is 7.", "8"), { correct: false, extracted: "7.", rule: "marker" });
});

test("a template that pre-fills <think> (newer DeepSeek-R1 templates): the output has only the closing tag", () => {
    const text = "First, 12 * 12 = 144.\n</think>\n\nThe area is \\(\\boxed{144}\\) square units.";
    assert.deepEqual(splitAnswer(text), { thinking: "First, 12 * 12 = 144.", answer: "The area is \\(\\boxed{144}\\) square units." });
    assert.deepEqual(finalAnswer(text), { value: "144", rule: "boxed", from: "reply" });
});
