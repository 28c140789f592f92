/**
 * The prompts a calibration runs on (src/evaluation/calibration-prompts.ts), shared by `rstitch
 * calibrate` and the editor's Calibrate Models: the file format's refusals, and the demo pair's
 * built-in prompts, shipped in models/ because data/ is not in the .vsix.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { BUILT_IN_PROMPTS, builtInPrompts, parsePromptFile, PromptFileError, readPromptFile } from "../../src/evaluation/calibration-prompts.ts";

test("a prompts file: one {prompt, answer?} per line, blank lines skipped; each refusal is one line that names the file and the line", () => {
    assert.deepEqual(parsePromptFile('{"prompt": "What is 1 + 2?", "answer": 3}\n\n{"prompt": "Why?"}\r\n', "p.jsonl"), [
        { prompt: "What is 1 + 2?", answer: "3" },
        { prompt: "Why?" },
    ]);
    for (const [text, why] of [
        ['{"prompt": "a"}\nnot json', /^p\.jsonl line 2 is not JSON; each line must be \{"prompt": "\.\.\."\}/],
        ['{"answer": "3"}', /^p\.jsonl line 1 needs a string "prompt"/],
        ['{"prompt": "  "}', /^p\.jsonl line 1 needs a string "prompt"/],
        ["[1, 2]", /^p\.jsonl line 1 needs a string "prompt"/],
        ["\n\n", /^p\.jsonl holds no prompts\.$/],
    ] as const) {
        assert.throws(() => parsePromptFile(text, "p.jsonl"), (e: Error) => e instanceof PromptFileError && why.test(e.message) && !e.message.includes("\n"));
    }
    const dir = mkdtempSync(join(tmpdir(), "rstitch-prompts-"));
    try {
        assert.throws(() => readPromptFile(join(dir, "none.jsonl")), /none\.jsonl: no such file\.$/);
        assert.throws(() => readPromptFile(dir), /: no such file\.$/);
        writeFileSync(join(dir, "ok.jsonl"), '{"prompt": "x"}\n');
        assert.deepEqual(readPromptFile(join(dir, "ok.jsonl")), [{ prompt: "x" }]);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});

test("the demo pair's built-in prompts are the first 200 of the tuning split (never the test split), shipped beside the models", () => {
    const root = resolve(".");
    const built = builtInPrompts(root, resolve("models/demo-slm.gguf"));
    assert.deepEqual(built, { path: resolve("models/demo.prompts.jsonl"), source: "built-in (models/demo.prompts.jsonl)" });
    const shipped = readPromptFile(built.path);
    const tune = readFileSync("data/tune.jsonl", "utf8").trim().split("\n").slice(0, BUILT_IN_PROMPTS)
        .map((l) => JSON.parse(l) as { prompt: string; answer: string }).map((r) => ({ prompt: r.prompt, answer: r.answer }));
    assert.equal(shipped.length, BUILT_IN_PROMPTS);
    assert.deepEqual(shipped, tune);
    const test = new Set(readFileSync("data/test.jsonl", "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { prompt: string }).prompt));
    assert.equal(shipped.filter((p) => test.has(p.prompt)).length, 0, "no test problem among them");
    // The paper pair (repository only) still calibrates on the tuning split; any other pair has none.
    assert.deepEqual(builtInPrompts(root, resolve("models/paper-slm.gguf")), { path: resolve("data/tune.jsonl"), source: "built-in (data/tune.jsonl)" });
    assert.equal(builtInPrompts(root, "/somewhere/demo-slm.gguf"), undefined);
    assert.equal(builtInPrompts(root, resolve("models/mine-slm.gguf")), undefined);
});
