/**
 * The one table of modes (src/modes.ts) is what every list of modes is: the settings enum in
 * package.json, the CLI's options and help, the trace and webview validators, the benchmark's rows.
 * These checks iterate the table, so a row added or removed there needs no edit here.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { EDITOR_MODES, FORMER_MODES, MODE_TABLE, MODES, modeSpec, usesTau } from "../../src/modes.ts";
import { benchConfigs } from "../../src/evaluation/bench.ts";
import { decodeValues } from "../../src/cli/options.ts";
import { HELP, UsageError } from "../../src/cli/usage.ts";
import { MODES as SETTING_MODES } from "../../src/extension/settings-schema.ts";
import { parseTrace, traceJson, makeTrace, type Trace } from "../../src/trace.ts";
import { savedTurns } from "../../webview/validate.ts";

test("package.json's rstitch.mode enum and its descriptions are the table's editor modes", () => {
    const manifest = JSON.parse(readFileSync("package.json", "utf8"));
    const setting = manifest.contributes.configuration.properties["rstitch.mode"];
    assert.deepEqual(setting.enum, EDITOR_MODES);
    assert.deepEqual(setting.enumDescriptions, EDITOR_MODES.map((m) => MODE_TABLE[m].description));
    assert.ok(EDITOR_MODES.includes(setting.default));
    assert.deepEqual(SETTING_MODES, EDITOR_MODES);
});

test("the editor offers one speculative mode, the project's own lossless one", () => {
    const offered = EDITOR_MODES.filter((m) => MODE_TABLE[m].drafts);
    assert.equal(offered.length, 1);
    assert.equal(modeSpec(offered[0]).engine, "draft-verify");
});

test("the CLI takes every mode of the table and its help names each one", () => {
    for (const mode of MODES) {
        assert.equal(decodeValues({ mode }).mode, mode);
        assert.ok(HELP.includes(`${mode}: ${MODE_TABLE[mode].description}`), mode);
    }
    assert.throws(() => decodeValues({ mode: "turbo" }), (e: unknown) => e instanceof UsageError && e.message.includes(MODES.join(", ")));
});

test("a removed mode's name on the CLI says which mode replaced it", () => {
    for (const [former, now] of Object.entries(FORMER_MODES)) {
        assert.throws(() => decodeValues({ mode: former }), (e: unknown) => e instanceof UsageError && e.message.includes(`--mode ${now}`), former);
    }
});

test("the benchmark has a row for every mode of the table, at each τ and draft length it takes", () => {
    const configs = benchConfigs([0.02, 1], [2, 4]);
    for (const mode of MODES) {
        const rows = configs.filter((c) => c.mode === mode && c.backend === "node-llama-cpp");
        assert.equal(rows.length, (usesTau(mode) ? 2 : 1) * (MODE_TABLE[mode].drafts ? 2 : 1), mode);
    }
});

function trace(mode: string): string {
    const t: Trace = makeTrace({
        prompt: "p", models: "a + b", mode: "stitch", threshold: 0.02, budget: 8, tokens: [], switches: [], answer: null, stopReason: "eog",
        stats: { mode: "stitch", threshold: 0.02, slm: { tokens: 0, prefillTokens: 0, wallMs: 0, calls: 0 }, llm: { tokens: 0, prefillTokens: 0, wallMs: 0, calls: 0 }, totalTokens: 0, switches: 0, discardedSlmTokens: 0, llmShare: 0, wallMs: 0, tokensPerSecond: 0 },
    });
    return traceJson({ ...t, mode, stats: { ...t.stats, mode } } as unknown as Trace);
}

test("a trace of any mode opens, and one naming a former mode opens as the mode that replaced it", () => {
    for (const mode of MODES) {
        const parsed = parseTrace(trace(mode));
        assert.ok(parsed.ok && parsed.trace.mode === mode && parsed.trace.stats.mode === mode, mode);
    }
    for (const [former, now] of Object.entries(FORMER_MODES)) {
        const parsed = parseTrace(trace(former));
        assert.ok(parsed.ok, former);
        assert.equal(parsed.trace.mode, now);
        assert.equal(parsed.trace.stats.mode, now);
    }
    const unknown = parseTrace(trace("turbo"));
    assert.ok(!unknown.ok && unknown.reason.startsWith(`mode is not one of ${MODES.join(", ")}`));
});

test("a saved view naming a former mode keeps its turn, under the mode that replaced it", () => {
    const turn = { id: "a", kind: "solve", prompt: "p", threshold: 0.02, models: "m", tokens: [], state: "done" };
    for (const [former, now] of Object.entries(FORMER_MODES)) {
        const [t] = savedTurns([{ ...turn, mode: former }]);
        assert.equal(t?.mode, now, former);
    }
});
