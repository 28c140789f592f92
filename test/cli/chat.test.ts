/** `rstitch chat` on the built CLI and the demo pair: one JSON object per turn, the conversation it was given, and what each model read of it. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parseTrace } from "../../src/trace.ts";

const CLI = "dist/cli.js";
const DEMO = ["--slm", "models/demo-slm.gguf", "--llm", "models/demo-llm.gguf", "--threads", "1"];

function chat(args: string[], input: string) {
    const r = spawnSync(process.execPath, [CLI, "chat", ...DEMO, ...args], { input, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 180_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("chat --json answers each line with the conversation so far, and a follow-up reads only its new text", { skip: !existsSync("models/demo-slm.gguf") && "no demo pair" }, (t) => {
    const dir = mkdtempSync(join(tmpdir(), "rstitch-chat-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const r = chat(["--json", "--trace-dir", dir], "What is 47 * 36?\nNow add 100 to that\n");
    assert.equal(r.code, 0, r.stderr);
    const turns = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(turns.length, 2);
    const [first, second] = turns;
    assert.equal(first.answer, "1692");
    assert.deepEqual(first.messages, [{ role: "user", text: "What is 47 * 36?" }]);
    assert.deepEqual(second.messages, [
        { role: "user", text: "What is 47 * 36?" },
        { role: "assistant", text: first.text },
        { role: "user", text: "Now add 100 to that" },
    ]);
    assert.ok(second.promptTokens > first.promptTokens + first.tokens.length, "the second prompt holds the first turn");
    // Turn 1 reads its whole prompt; turn 2's SLM reads only what follows what it holds.
    assert.equal(first.prefill.slm, first.promptTokens);
    assert.ok(second.prefill.slm < second.promptTokens, `SLM read ${second.prefill.slm} of ${second.promptTokens}`);
    assert.equal(second.stats.prompt.tokens, second.promptTokens);

    const files = readdirSync(dir).sort();
    assert.deepEqual(files, ["turn-001.trace.json", "turn-002.trace.json"]);
    const trace = parseTrace(readFileSync(join(dir, files[1]), "utf8"));
    assert.ok(trace.ok, trace.ok ? "" : trace.reason);
    assert.deepEqual(trace.trace.messages, second.messages);
    assert.equal(trace.trace.prompt, "Now add 100 to that");
    assert.deepEqual(trace.trace.tokens.map((t) => t.id), second.tokens.map((t: { id: number }) => t.id));
});

test("chat --no-reuse reads the whole conversation every turn and writes the same tokens", { skip: !existsSync("models/demo-slm.gguf") && "no demo pair" }, () => {
    const input = "What is 47 * 36?\nNow add 100 to that\n";
    const reused = chat(["--json"], input).stdout.trim().split("\n").map((l) => JSON.parse(l));
    const fresh = chat(["--json", "--no-reuse"], input).stdout.trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(fresh.map((t) => t.prefill), fresh.map((t) => ({ slm: t.promptTokens, llm: t.promptTokens })));
    assert.deepEqual(reused.map((t) => t.tokens.map((x: { id: number; source: string }) => [x.id, x.source])), fresh.map((t) => t.tokens.map((x: { id: number; source: string }) => [x.id, x.source])));
});
