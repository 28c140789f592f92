/**
 * `rstitch calibrate` on the real demo pair: a prompts file without answers becomes a calibration that
 * `solve --calibration` routes with and reports in stats.calibration; a bad calibration or prompts
 * file is one line and exit 2, before any model loads.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { parseCalibration } from "../../src/stitch/calibration.ts";

const CLI = "dist/cli.js";
const DEMO = ["--slm", "models/demo-slm.gguf", "--llm", "models/demo-llm.gguf", "--threads", "1"];
const noDemo = !existsSync("models/demo-slm.gguf") && "no demo pair";
const dir = mkdtempSync(join(tmpdir(), "rstitch-calibrate-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function rstitch(args: string[]) {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 300_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("rstitch calibrate, then solve --calibration", { skip: noDemo }, () => {
    const prompts = join(dir, "prompts.jsonl");
    const out = join(dir, "mine.calibration.json");
    // Prompts without answers: the pair's own LLM is the teacher. From the tuning split, never the test split.
    const tune = readFileSync("data/tune.jsonl", "utf8").trim().split("\n").slice(0, 12).map((l) => JSON.stringify({ prompt: JSON.parse(l).prompt }));
    writeFileSync(prompts, tune.join("\n") + "\n");

    test("calibrate --file F --out C writes a calibration that reads back, aimed at LLM agreement (no labels)", () => {
        const r = rstitch(["calibrate", ...DEMO, "--file", prompts, "--out", out]);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /calibrated on 12 prompts \(prompts\.jsonl\).*target: LLM agreement ≥ 99\.0% of answers/);
        const read = parseCalibration(readFileSync(out, "utf8"));
        assert.ok(read.ok, read.ok ? "" : read.reason);
        assert.equal(read.calibration.prompts, 12);
        assert.equal(read.calibration.target.kind, "agreement");
        assert.deepEqual(read.calibration.pair, { slm: "demo-slm.gguf", llm: "demo-llm.gguf" });
        assert.ok(read.calibration.trainedOn > 0, "the router saw hand-over points");
    });

    test("solve --calibration C --json routes with its router and says so in stats.calibration", () => {
        const r = rstitch(["solve", ...DEMO, "--calibration", out, "--json", "What is 715 * 4?"]);
        assert.equal(r.code, 0, r.stderr);
        const result = JSON.parse(r.stdout);
        const c = result.stats.calibration;
        assert.equal(c.file, "mine.calibration.json");
        assert.equal(c.routing, "router");
        assert.equal(c.target, "LLM agreement ≥ 99.0% of answers");
        assert.ok(c.consulted >= c.stayed);
        const cal = JSON.parse(readFileSync(out, "utf8"));
        assert.equal(result.stats.threshold, cal.router.tau, "the router's τ, not the default");
        assert.equal(result.answer, "2860");
    });

    test("--routing budget with --llm-share, and threshold with the calibration's τ", () => {
        const budget = JSON.parse(rstitch(["solve", ...DEMO, "--calibration", out, "--routing", "budget", "--llm-share", "0.03", "--json", "What is 69 + 59?"]).stdout);
        assert.equal(budget.stats.calibration.routing, "budget");
        assert.equal(budget.stats.calibration.llmShare, 0.03);
        const plain = JSON.parse(rstitch(["solve", ...DEMO, "--calibration", out, "--routing", "threshold", "--json", "What is 69 + 59?"]).stdout);
        const cal = JSON.parse(readFileSync(out, "utf8"));
        assert.equal(plain.stats.threshold, cal.threshold.tau);
        assert.equal(plain.stats.calibration.consulted, 0, "the entropy rule asks no router");
    });

    test("without a calibration, solve reports none (the paper algorithm as before)", () => {
        const r = JSON.parse(rstitch(["solve", ...DEMO, "--json", "What is 69 + 59?"]).stdout);
        assert.equal(r.stats.calibration, undefined);
    });
});

describe("bad calibration input: one line, exit 2", () => {
    test("a file that is not a calibration, a missing one, and a prompts file without prompts", () => {
        const bad = join(dir, "bad.json");
        writeFileSync(bad, JSON.stringify({ format: "rstitch-calibration", version: 1, pair: { slm: "a", llm: "b" } }));
        for (const [args, why] of [
            [["solve", "--calibration", bad, "What is 1 + 2?"], /^rstitch: --calibration .*bad\.json cannot be used: created is not a string\.$/],
            [["solve", "--calibration", join(dir, "none.json"), "What is 1 + 2?"], /no such file; make one with rstitch calibrate/],
            [["solve", "--routing", "budget", "--llm-share", "2", "What is 1 + 2?"], /--llm-share must be between 0 and 1/],
            [["solve", "--llm-share", "0.1", "What is 1 + 2?"], /--llm-share goes with --routing budget/],
        ] as const) {
            const r = rstitch([...args]);
            assert.equal(r.code, 2, r.stderr);
            assert.match(r.stderr.trim(), why);
            assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
        }
        const empty = join(dir, "empty.jsonl");
        writeFileSync(empty, '{"answer": "3"}\n');
        const r = rstitch(["calibrate", "--file", empty, "--out", join(dir, "x.json")]);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /line 1 needs a string "prompt"/);
        assert.equal(existsSync(join(dir, "x.json")), false);
    });
});
