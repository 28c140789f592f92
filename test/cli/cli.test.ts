/** The built CLI (dist/cli.js) as a user runs it: output, exit status and messages. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { fixtures } from "../support/fixtures.ts";
import { freePort } from "../support/llama-server.ts";

const CLI = "dist/cli.js";
const f = fixtures();
const PAIR = ["--slm", f.slm, "--llm", f.llm, "--threads", "1"];

function rstitch(args: string[], input?: string, env: NodeJS.ProcessEnv = {}) {
    const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: "utf8", env: { ...process.env, ...env }, timeout: 120_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("the CLI is built", () => assert.ok(existsSync(CLI), "run npm run build first"));

test("--json prints exactly one object whose tokens, text and stats agree", () => {
    const r = rstitch(["solve", ...PAIR, "--threshold", "0.1", "--budget", "40", "--json", "What is 2+3?"]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assert.equal(lines.length, 1);
    const out = JSON.parse(lines[0]);
    assert.deepEqual(Object.keys(out).sort(), ["answer", "stats", "stopReason", "text", "tokens"]);
    assert.equal(out.text, out.tokens.map((t: { text: string }) => t.text).join(""));
    for (const t of out.tokens) {
        assert.deepEqual(Object.keys(t).sort(), ["entropy", "id", "source", "text"]);
        assert.ok(t.source === "slm" || t.source === "llm");
    }
    const sources = new Set(out.tokens.map((t: { source: string }) => t.source));
    assert.ok(sources.has("slm") && sources.has("llm"), "both models wrote at τ = 0.1");
    assert.equal(out.stats.slm.tokens + out.stats.llm.tokens, out.tokens.length);
});

test("human output is plain when not a terminal, ends with a stats line, and reads the prompt from stdin", () => {
    const r = rstitch(["solve", ...PAIR, "--budget", "12"], "What is 2+3?\n");
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes("\x1b["), "no colour codes on a pipe");
    assert.match(r.stdout.trim().split("\n").pop()!, /^\d+ tokens: SLM \d+, LLM \d+ \(LLM share [\d.]+%\) · .* · stop: (budget|eog|stopTrigger)$/);
});

test("modes and the τ edges through the CLI", () => {
    const json = (args: string[]) => JSON.parse(rstitch(["solve", ...PAIR, "--budget", "24", "--json", ...args, "Hi"]).stdout);
    const slm = json(["--mode", "slm"]);
    const llm = json(["--mode", "llm"]);
    assert.deepEqual(json(["--threshold", "1"]).tokens.map((t: { id: number }) => t.id), slm.tokens.map((t: { id: number }) => t.id));
    assert.deepEqual(json(["--threshold", "0"]).tokens.map((t: { id: number }) => t.id), llm.tokens.map((t: { id: number }) => t.id));
    assert.deepEqual(json(["--mode", "speculative"]).tokens.map((t: { id: number }) => t.id), llm.tokens.map((t: { id: number }) => t.id));
});

for (const [what, args, message] of [
    ["an unknown option", ["solve", "--bogus", "x"], /Unknown option '--bogus'/],
    ["a threshold out of range", ["solve", ...PAIR, "--threshold", "1.5", "x"], /--threshold must be between 0 and 1/],
    ["a budget that is not a whole number", ["solve", ...PAIR, "--budget", "ten", "x"], /--budget must be a whole number/],
    ["an unknown mode", ["solve", ...PAIR, "--mode", "fast", "x"], /--mode must be one of stitch, slm, llm, speculative/],
    ["only one model", ["solve", "--slm", f.slm, "x"], /Give both --slm and --llm/],
    ["a missing model file", ["solve", "--slm", "/no/such.gguf", "--llm", f.llm, "x"], /not found.*\/no\/such\.gguf/],
    ["a file that is not GGUF", ["solve", "--slm", "package.json", "--llm", f.llm, "x"], /not a usable GGUF file/],
    ["models with different tokenizers", ["solve", "--slm", f.otherTokenizer, "--llm", f.llm, "x"], /do not share a tokenizer.*token 256 differs/],
    ["an empty prompt", ["solve", ...PAIR, "   "], /problem is empty/],
    ["an unknown command", ["frobnicate"], /Unknown command "frobnicate"/],
    ["an LLM server URL that is not http", ["solve", "--llm-url", "gpu-box:8080", "x"], /must start with http:\/\/ or https:\/\//],
    ["both --llm and --llm-url", ["solve", "--slm", f.slm, "--llm", f.llm, "--llm-url", "http://127.0.0.1:9", "x"], /not both/],
    ["an API key variable that is not set", ["solve", "--llm-url", "http://127.0.0.1:9", "--api-key-env", "RSTITCH_NO_SUCH_KEY", "x"], /RSTITCH_NO_SUCH_KEY is not set/],
] as const) {
    test(`${what} exits 2 with a message and no stack trace`, () => {
        const r = rstitch([...args]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
        assert.ok(!/\n\s+at /.test(r.stderr), `no stack trace: ${r.stderr}`);
        assert.equal(r.stdout, "");
    });
}

for (const command of [["solve", "What is 2+3?"], ["bench", "--problems", "1", "--peers", "none"]]) {
    test(`${command[0]}: an LLM server that is not there: exit 1 with a message that says what to do`, async () => {
        const port = await freePort();
        const r = rstitch([command[0], "--llm-url", `http://127.0.0.1:${port}`, ...command.slice(1)]);
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, new RegExp(`Cannot reach the LLM server at http://127\\.0\\.0\\.1:${port}: connection refused\\. Start llama-server there, or fix the URL`));
        assert.ok(!/\n\s+at /.test(r.stderr), `no stack trace: ${r.stderr}`);
    });
}
