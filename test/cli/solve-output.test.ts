/**
 * What `rstitch solve` tells the user about an answer, on the real demo pair: the note for questions
 * the demo pair was not trained on, the extracted answer in --json, and counts in plain English.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { MODES } from "../../src/cli/options.ts";
import { statsLine } from "../../src/cli/solve.ts";
import type { StitchStats } from "../../src/stitch/index.ts";
import { parseTrace, type Trace } from "../../src/trace.ts";

const CLI = "dist/cli.js";
const DEMO = ["--slm", "models/demo-slm.gguf", "--llm", "models/demo-llm.gguf", "--threads", "1"];
const noDemo = !existsSync("models/demo-slm.gguf") && "no demo pair";
const dir = mkdtempSync(join(tmpdir(), "rstitch-solve-output-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function rstitch(args: string[]) {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 180_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function solveWithTrace(name: string, args: string[]): { out: ReturnType<typeof rstitch>; trace: Trace } {
    const file = join(dir, `${name}.trace.json`);
    const out = rstitch(["solve", ...DEMO, "--trace", file, ...args]);
    assert.equal(out.code, 0, out.stderr);
    const parsed = parseTrace(readFileSync(file, "utf8"));
    assert.ok(parsed.ok, parsed.ok ? "" : parsed.reason);
    return { out, trace: parsed.trace };
}

const lastLine = (stdout: string) => stdout.trimEnd().split("\n").pop()!;

describe("the demo pair's note for questions outside its form", { skip: noDemo }, () => {
    // The three the demo pair answered confidently and wrongly (616, 864, 32) without a word.
    for (const [prompt, why] of [
        ["What is 7 * 8?", /its numbers are outside the ranges it was trained on/],
        ["What is 47*36?", /it is not written exactly in that form.*Ask "What is 47 \* 36\?" instead/],
        ["Explain what a hash map is", /this question is not of that form/],
    ] as const) {
        test(`"${prompt}": answered, exit 0, and a note on stderr that says why and what to do`, () => {
            const r = rstitch(["solve", ...DEMO, prompt]);
            assert.equal(r.code, 0, r.stderr);
            assert.match(r.stdout, /Answer: \S+/, "the answer is still printed");
            assert.doesNotMatch(r.stdout, /embedded demo models/, "stdout stays the answer");
            const note = r.stderr.trim();
            assert.equal(note.split("\n").length, 1, r.stderr);
            assert.match(note, /^rstitch: note: The embedded demo models only solve "What is A op B\?" arithmetic/);
            assert.match(note, why);
            assert.match(note, /so the answer above is not meaningful/);
            assert.match(note, /rstitch models pull PAIR\) or pass your own: --slm SMALL\.gguf --llm LARGE\.gguf\.$/);
        });
    }

    test("a question of the trained form gets no note", () => {
        const r = rstitch(["solve", ...DEMO, "What is 58 * 27?"]);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /Answer: 1566\n/);
        assert.equal(r.stderr, "");
    });

    test("with --json the note is on stderr and stdout is one JSON object", () => {
        const r = rstitch(["solve", ...DEMO, "--json", "What is 7 * 8?"]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout.trim().split("\n").length, 1);
        assert.equal(JSON.parse(r.stdout).answer, "616");
        assert.match(r.stderr, /^rstitch: note: The embedded demo models only solve/);
    });
});

describe("solve --json carries the extracted answer", { skip: noDemo }, () => {
    test("the same answer as the trace of the same run", () => {
        const { out, trace } = solveWithTrace("answer", ["--json", "What is 86 * 79?"]);
        const json = JSON.parse(out.stdout);
        assert.equal(trace.answer, "6794");
        assert.equal(json.answer, trace.answer);
        assert.deepEqual(Object.keys(json).sort(), ["answer", "stats", "stopReason", "text", "tokens"]);
    });

    test("null when the answer line was never written, as in the trace", () => {
        const { out, trace } = solveWithTrace("no-answer", ["--json", "--budget", "5", "What is 86 * 79?"]);
        const json = JSON.parse(out.stdout);
        assert.equal(json.stopReason, "budget");
        assert.equal(trace.answer, null);
        assert.equal(json.answer, null);
    });
});

describe("counts in the stats line", () => {
    test("one token, no switches and no discarded tokens (the CLI)", { skip: noDemo }, () => {
        const r = rstitch(["solve", ...DEMO, "--budget", "1", "What is 86 * 79?"]);
        assert.equal(r.code, 0, r.stderr);
        assert.match(lastLine(r.stdout), /^1 token: SLM 1, LLM 0 \(LLM share 0\.0%\) · 0 switches · 0 SLM tokens discarded · /);
    });

    test("one discarded SLM token and two switches (the CLI)", { skip: noDemo }, () => {
        // Stop just after the LLM's first token: the SLM handed over (its token discarded) and got it back.
        const full = solveWithTrace("first-switch", ["What is 86 * 79?"]).trace;
        const budget = full.switches[0].index + 1;
        const { out, trace } = solveWithTrace("one-discard", ["--budget", String(budget), "What is 86 * 79?"]);
        assert.equal(trace.stats.discardedSlmTokens, 1, "precondition: one SLM token discarded");
        assert.equal(trace.stats.switches, 2, "precondition: over and back");
        assert.match(lastLine(out.stdout), new RegExp(`^${budget} tokens: SLM ${budget - 1}, LLM 1 .* · 2 switches · 1 SLM token discarded · `));
    });

    for (const mode of ["slm", "llm"]) {
        test(`--mode ${mode}: one model writes, so no switches and nothing discarded are reported`, { skip: noDemo }, () => {
            const r = rstitch(["solve", ...DEMO, "--mode", mode, "--budget", "8", "What is 58 * 27?"]);
            assert.equal(r.code, 0, r.stderr);
            const line = lastLine(r.stdout);
            assert.match(line, new RegExp(`^8 tokens: .* · mode ${mode} · stop: budget$`));
            assert.doesNotMatch(line, /discarded|switch|τ/);
        });
    }

    const stats = (o: Partial<StitchStats>): StitchStats => {
        const model = { tokens: 1, prefillTokens: 0, wallMs: 1, calls: 1 };
        return { mode: "stitch", threshold: 0.02, slm: model, llm: model, totalTokens: 2, switches: 2, discardedSlmTokens: 2, llmShare: 0.5, wallMs: 200, tokensPerSecond: 10, ...o };
    };

    test("statsLine: 0, 1 and 2 of each count", () => {
        for (const [n, tokens, switches, discarded] of [
            [0, "0 tokens", "0 switches", "0 SLM tokens discarded"],
            [1, "1 token", "1 switch", "1 SLM token discarded"],
            [2, "2 tokens", "2 switches", "2 SLM tokens discarded"],
        ] as const) {
            const line = statsLine(stats({ totalTokens: n, switches: n, discardedSlmTokens: n }), "eog");
            assert.ok(line.startsWith(`${tokens}: `), line);
            assert.ok(line.includes(` · ${switches} · ${discarded} · `), line);
        }
    });

    test("statsLine: the modes where τ routes report switches and τ, the others do not", () => {
        const routed = ["stitch", "stitch-spec", "stitch-eager"];
        assert.ok(MODES.includes("slm") && MODES.includes("llm") && MODES.includes("stitch"));
        for (const mode of MODES) {
            const line = statsLine(stats({ mode }), "eog");
            if (routed.includes(mode)) assert.match(line, new RegExp(` · 2 switches · 2 SLM tokens discarded · .* · mode ${mode} τ=0\\.02 · `));
            else assert.doesNotMatch(line, /switch|discarded|τ/, mode);
        }
    });
});
