/**
 * The tuning and test splits are new problems: none in data/heldout.jsonl, none in the training
 * stream the demo pair learned from, none in both splits. tools/tasks.py --check replays train.py's
 * packing of its seeded stream; the prompt-level checks here do not depend on that code.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { readProblems } from "../../src/evaluation/problems.ts";

const prompts = (split: string) => readProblems(`data/${split}.jsonl`).map((p) => p.prompt);

test("tune and test share no prompt with each other or with heldout, and hold no duplicates", () => {
    const heldout = new Set(prompts("heldout"));
    const tune = prompts("tune");
    const test = prompts("test");
    assert.equal(new Set(tune).size, tune.length);
    assert.equal(new Set(test).size, test.length);
    assert.ok(tune.length >= 200 && test.length >= 1000);
    const tuneSet = new Set(tune);
    assert.deepEqual(test.filter((p) => tuneSet.has(p) || heldout.has(p)), []);
    assert.deepEqual(tune.filter((p) => heldout.has(p)), []);
});

test("no problem of tune or test is in the training stream (tools/tasks.py --check)", () => {
    const r = spawnSync("python3", ["tools/tasks.py", "--check"], { encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout.trim().split("\n").pop()!);
    assert.ok(report.trainingProblems > 50_000, "the replayed stream covers every problem the demo pair trained on");
    for (const key of ["tune∩test", "tune∩heldout", "test∩heldout", "tune∩train", "test∩train"]) assert.equal(report[key], 0, key);
});

test("the splits keep the task's mix of operations (multiplications are not crowded out)", () => {
    const share = (xs: string[], op: string) => xs.filter((p) => p.includes(` ${op} `)).length / xs.length;
    const test = prompts("test");
    assert.ok(share(test, "*") > 0.3 && share(test, "+") > 0.2 && share(test, "-") > 0.2);
});
