import assert from "node:assert/strict";
import { test } from "node:test";
import { buildExplainPrompt, buildSolvePrompt, explainLabel, MAX_SELECTION_CHARS, selectionLines } from "../../src/extension/prompts.ts";

test("an explanation prompt carries the selection, its language id and its file name", () => {
    const code = "export function sum(xs: number[]) {\n  return xs.reduce((a, b) => a + b, 0);\n}";
    const { prompt, label, truncated } = buildExplainPrompt({ text: code, languageId: "typescript", fileName: "sum.ts", startLine: 2 });
    assert.ok(prompt.includes("```typescript\n" + code + "\n```"));
    assert.match(prompt, /typescript code from sum\.ts \(from line 2\)/);
    assert.equal(label, "Explain selection · sum.ts · 3 lines");
    assert.equal(truncated, false);
});

test("a selection containing a fence cannot close the prompt's own fence", () => {
    const md = "Example:\n```js\nx()\n```\n";
    const { prompt } = buildExplainPrompt({ text: md, languageId: "markdown", fileName: "README.md" });
    assert.ok(prompt.includes("````markdown\n" + md + "\n````"));
});

test("a very long selection is cut, and the prompt says so", () => {
    const long = "x".repeat(MAX_SELECTION_CHARS + 500);
    const { prompt, truncated } = buildExplainPrompt({ text: long, languageId: "plaintext", fileName: "a.txt" });
    assert.equal(truncated, true);
    assert.ok(!prompt.includes("x".repeat(MAX_SELECTION_CHARS + 1)));
    assert.match(prompt, /cut to its first/);
});

test("a problem is sent as typed, trimmed", () => {
    assert.deepEqual(buildSolvePrompt("  What is 17 + 25?\n"), { prompt: "What is 17 + 25?", label: "Solve", truncated: false });
});

test("an Explain turn is labelled by file and line count, never by the internal prompt", () => {
    assert.equal(selectionLines("x = 1"), 1);
    assert.equal(selectionLines("a\nb\n"), 2, "a whole-line selection ends with a line break that starts no new line");
    assert.equal(selectionLines("a\r\nb\r\nc"), 3);
    const text = Array.from({ length: 11 }, (_, i) => `line ${i}`).join("\n");
    assert.equal(explainLabel({ text, languageId: "typescript", fileName: "util.ts" }), "Explain selection · util.ts · 11 lines");
    assert.equal(explainLabel({ text: "f()", languageId: "python", fileName: "a.py" }), "Explain selection · a.py · 1 line");
    assert.ok(!explainLabel({ text, languageId: "typescript", fileName: "util.ts" }).includes("Reason step by step"));
});
