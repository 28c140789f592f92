/** Bad command-line input exits 2 with a message that says what to fix (the built CLI, real fixtures). */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fixtures } from "../support/fixtures.ts";

const f = fixtures();
const PAIR = ["--slm", f.slm, "--llm", f.llm, "--threads", "1"];
const dir = mkdtempSync(join(tmpdir(), "rstitch-cli-input-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
}

function rstitch(args: string[]) {
    const r = spawnSync(process.execPath, ["dist/cli.js", ...args], { encoding: "utf8", timeout: 120_000, env: { ...process.env, NO_COLOR: "1" } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const nullLine = file("null-line.jsonl", '{"prompt": "1+1?", "answer": "2"}\nnull\n');
const numberLine = file("number-line.jsonl", "5\n");
const noPrompt = file("no-prompt.jsonl", '{"prompt": "1+1?", "answer": "2"}\n{"question": "x", "answer": "1"}\n');
const folder = join(dir, "a-folder.jsonl");
mkdirSync(folder, { recursive: true });
const trainedLimit = "What is " + "1 + ".repeat(300) + "1?"; // ~1,200 tokens: past the fixtures' trained 1,024
const pastSmallContext = "What is " + "1 + ".repeat(200) + "1?"; // ~800 tokens: past --context 64, within 1,024

for (const [what, args, message, not] of [
    ["a negative threshold", ["solve", ...PAIR, "--threshold", "-0.1", "x"], /--threshold must be between 0 and 1, got -0.1\./],
    ["a negative budget", ["solve", ...PAIR, "--budget", "-5", "x"], /--budget must be between 1 and 100000, got -5\./],
    ["a negative temperature", ["solve", ...PAIR, "--temperature", "-1", "x"], /--temperature must be between 0 and 5, got -1\./],
    ["a negative threshold in eval", ["eval", ...PAIR, "--threshold", "-.5"], /--threshold must be between 0 and 1, got -\.5\./],
    ["an eval line that is null", ["eval", ...PAIR, "--file", nullLine], new RegExp(`${nullLine} line 2 is null, not an object`)],
    ["a bench line that is null", ["bench", ...PAIR, "--file", nullLine], new RegExp(`${nullLine} line 2 is null, not an object`)],
    ["an eval line that is a number", ["eval", ...PAIR, "--file", numberLine], new RegExp(`${numberLine} line 1 is a number, not an object`)],
    ["an eval line without a prompt", ["eval", ...PAIR, "--file", noPrompt], new RegExp(`${noPrompt} line 2 needs a string "prompt"`)],
    ["a folder as the problem file", ["eval", ...PAIR, "--file", folder], new RegExp(`${folder} is a folder, not a problem file`)],
    ["a folder as the bench problem file", ["bench", ...PAIR, "--file", folder], new RegExp(`${folder} is a folder, not a problem file`)],
    ["a flash-attention value that is not on or off", ["solve", ...PAIR, "--flash-attention", "yes", "x"], /--flash-attention must be on or off, got "yes"\./],
    ["--slm without --llm", ["solve", "--slm", "/models/my-small.gguf", "x"], /--slm \/models\/my-small\.gguf was given without --llm/],
    ["--llm without --slm", ["solve", "--llm", "/models/my-large.gguf", "x"], /--llm \/models\/my-large\.gguf was given without --slm/],
    ["a prompt past the models' trained context", ["solve", ...PAIR, trainedLimit], /tokens long .* trained for a context of 1024 tokens.*Shorten the prompt\./, /raise the context/],
    ["a prompt past a context that can be raised", ["solve", ...PAIR, "--context", "64", pastSmallContext], /does not fit the context of \d+ tokens\. Shorten it or raise the context size .*--context.*up to the models' trained 1024 tokens/],
] as const) {
    test(`${what}: exit 2 with the message`, () => {
        const r = rstitch([...args]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
        if (not) assert.doesNotMatch(r.stderr, not);
        assert.doesNotMatch(r.stderr, /ambiguous|Cannot read properties|EISDIR|\n\s+at /);
        assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    });
}

test("help shows answer and stopReason in the --json shape", () => {
    const r = rstitch(["help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /\{text, answer, tokens: \[\{id, text, source, entropy\}\], stopReason, stats\}/);
    assert.match(r.stdout, /answer: the final answer, as in the trace, or null; stopReason: eog \| stopTrigger \| budget \| abort/);
});
