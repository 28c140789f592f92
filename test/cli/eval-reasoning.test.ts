/** `rstitch eval --file` scores a reasoning model's output by its final answer, not by the whole reply. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { reasoningFixtures } from "../support/reasoning-fixtures.ts";

test("eval --file on a reasoning pair: '<think>…</think>\\n\\nAnswer: 42' scores right for 42 and wrong for 41", (t) => {
    const f = reasoningFixtures();
    const problems = join(tmpdir(), `rstitch-reasoning-problems-${process.pid}.jsonl`);
    t.after(() => rmSync(problems, { force: true }));
    // The scripted pair writes the same transcript whatever the prompt: "<think>The café bill adds up.</think>\n\nAnswer: 42".
    writeFileSync(problems, ['{"prompt": "What does the bill add up to?", "answer": "42"}', '{"prompt": "And now?", "answer": 41}'].join("\n") + "\n");
    const r = spawnSync(
        process.execPath,
        ["dist/cli.js", "eval", "--slm", f.reasoningSlm, "--llm", f.reasoningLlm, "--threads", "1", "--file", problems, "--modes", "stitch", "--threshold", "0.1", "--json"],
        { encoding: "utf8", timeout: 300_000 },
    );
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.modes.stitch.problems, 2);
    assert.equal(out.modes.stitch.accuracy, 0.5);
});
