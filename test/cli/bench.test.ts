/**
 * A tiny `rstitch bench` through the built CLI on the demo pair: every configuration (llama.cpp's peers
 * too when .ci/install-llama.sh has installed them), checked for the truth of bench.json, not speed.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { effectiveThreshold, MODE_TABLE, MODES, usesTau, type Mode } from "../../src/modes.ts";
import { DEFAULT_MODE, DEFAULT_THRESHOLD } from "../../src/stitch/index.ts";
import { LLAMA_ENV_PATH } from "../../src/evaluation/llama-server.ts";

interface Row {
    config: { id: string; mode: Mode; backend: string; threshold?: number; draftTokens?: number };
    isDefault: boolean; problems: number; accuracy: number; meanTokens: number; llmShare: number; speedup: number;
    msPerProblem: number; modelMsPerProblem: number | null; overhead: number | null;
    answers: (string | null)[]; tokens: number[];
    acceptance: { proposed: number; accepted: number; rate: number } | null;
    switches: number; perSwitch: { catchUpTokens: number; ms: number } | null;
}

test("bench.json: a row per configuration, the default among them, lossless rows agree with LLM-only", (t) => {
    const dir = mkdtempSync(join(tmpdir(), "rstitch-bench-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "problems.jsonl");
    const problems = readFileSync("data/test.jsonl", "utf8").trim().split("\n").slice(0, 3);
    writeFileSync(file, problems.join("\n") + "\n");
    const r = spawnSync(process.execPath, ["dist/cli.js", "bench", "--file", file, "--thresholds", "0.02,1", "--drafts", "3", "--budget", "200",
        "--threads", "1", "--out", dir], { encoding: "utf8", timeout: 110_000 });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const report = JSON.parse(readFileSync(join(dir, "bench.json"), "utf8")) as { configs: Row[]; problems: number; recommended: Row | null; peersMissing?: string; flashAttention: boolean | "auto" };
    assert.equal(report.flashAttention, false, "on the CPU the pair runs without flash attention (defaultFlashAttention)");
    const row = (id: string) => report.configs.find((c) => c.config.id === id)!;
    const peers = existsSync(LLAMA_ENV_PATH);

    const ids = report.configs.map((c) => c.config.id);
    // A row for every mode of the table, at each τ it routes by and each draft length it drafts with.
    const expected = MODES.flatMap((m) => usesTau(m) ? [`${m}-0.02`, `${m}-1`] : MODE_TABLE[m].drafts ? [`${m}-3`] : [m]);
    for (const id of expected) assert.ok(ids.includes(id), id);
    assert.equal(new Set(ids).size, ids.length, "one row per configuration");
    // The demo pair ships its calibration (models/demo.calibration.json): the router and the budget get rows.
    assert.ok(ids.includes("stitch-router") && ids.includes("stitch-budget"), ids.join(", "));
    assert.match(String((report as { calibration?: unknown }).calibration), /demo\.calibration\.json$/);
    assert.equal(ids.some((id) => id.startsWith("llama.cpp-")), peers, report.peersMissing ?? "llama.cpp peers present");

    const defaults = report.configs.filter((c) => c.isDefault);
    assert.equal(defaults.length, 1);
    assert.equal(defaults[0].config.mode, DEFAULT_MODE);
    assert.equal(defaults[0].config.threshold, DEFAULT_THRESHOLD);

    const llm = row("llm");
    for (const c of report.configs) {
        assert.equal(c.problems, 3, c.config.id);
        assert.equal(c.answers.length, 3);
        // The summary is the per-problem data.
        assert.ok(Math.abs(c.meanTokens - c.tokens.reduce((a, b) => a + b, 0) / 3) < 1e-9, c.config.id);
        assert.ok(Math.abs(c.speedup - llm.msPerProblem / c.msPerProblem) < 1e-9);
        // Model time is inside wall time.
        if (c.modelMsPerProblem !== null) assert.ok(c.modelMsPerProblem <= c.msPerProblem + 1e-6 && c.overhead! >= 0 && c.overhead! < 1, c.config.id);
        // Each hand-over makes the other model read what it has not seen (at least the token just written
        // by the model handing back), beyond the prompt: the catch-up per switch is positive.
        if (c.switches > 0) assert.ok(c.perSwitch && c.perSwitch.catchUpTokens > 0, `${c.config.id}: catch-up ${c.perSwitch?.catchUpTokens} tokens per switch`);
        if (MODE_TABLE[c.config.mode].drafts) {
            assert.ok(c.acceptance && c.acceptance.accepted <= c.acceptance.proposed, `${c.config.id} reports acceptance`);
            assert.ok(Math.abs(c.acceptance.rate - c.acceptance.accepted / Math.max(1, c.acceptance.proposed)) < 1e-9);
        }
    }
    // Lossless decoders write the LLM-only output: the same answers and token counts.
    for (const id of MODES.filter((m) => MODE_TABLE[m].drafts && MODE_TABLE[m].tau === 0).map((m) => `${m}-3`)) {
        assert.deepEqual(row(id).answers, llm.answers, id);
        assert.deepEqual(row(id).tokens, llm.tokens, id);
        assert.equal(row(id).llmShare, 1);
    }
    assert.deepEqual(row("stitch-1").answers, row("slm").answers, "τ = 1 is SLM-only");
    assert.equal(row("stitch-1").llmShare, 0);
    if (peers) {
        assert.deepEqual(row("llama.cpp-speculative-3").answers, row("llama.cpp-llm").answers, "llama.cpp's speculative decoding is lossless");
        assert.deepEqual(row("llama.cpp-speculative-3").tokens, row("llama.cpp-llm").tokens);
    }
    if (report.recommended) assert.ok(report.recommended.accuracy >= llm.accuracy - 0.01 - 1e-9);
    assert.match(readFileSync(join(dir, "bench.svg"), "utf8"), /^<svg[^>]*>/);
});

test("solve --json reports the default mode and τ it used (src/stitch/defaults.ts)", () => {
    const r = spawnSync(process.execPath, ["dist/cli.js", "solve", "--threads", "1", "--budget", "40", "--json", "What is 12 + 34?"], { encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const { stats } = JSON.parse(r.stdout.trim().split("\n").pop()!);
    assert.equal(stats.mode, DEFAULT_MODE);
    assert.equal(stats.threshold, effectiveThreshold(DEFAULT_MODE, DEFAULT_THRESHOLD));
});
