import assert from "node:assert/strict";
import { test } from "node:test";
import { inputBoxValue, problemFromInput } from "../../src/extension/solve-input.ts";

test("a selection is shown in the one-line input box with its line breaks as spaces", () => {
    assert.equal(inputBoxValue("What is 17 * 23?"), "What is 17 * 23?");
    assert.equal(inputBoxValue("function f() {\n    return 1;\n}\n"), "function f() { return 1; }");
    assert.equal(inputBoxValue("a\r\n\r\n  b"), "a b");
});

test("confirmed unchanged, the selection is sent with its line breaks; edited, the edit is sent", () => {
    const sel = "function f() {\n    return 1;\n}";
    assert.equal(problemFromInput("function f() { return 1; }", sel), sel);
    assert.equal(problemFromInput("  function f() { return 1; } ", sel), sel);
    assert.equal(problemFromInput("Why does f return 1?", sel), "Why does f return 1?");
    assert.equal(problemFromInput("What is 2 + 2?", undefined), "What is 2 + 2?");
});
