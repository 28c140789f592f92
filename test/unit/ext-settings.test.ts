import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { test } from "node:test";
import { expandModelPath, SETTING_SPECS, validateSettings, type SettingKey } from "../../src/extension/settings-schema.ts";
import { DEFAULT_BUDGET, DEFAULT_CONTEXT_SIZE, DEFAULT_THRESHOLD } from "../../src/stitch/index.ts";

const from = (values: Partial<Record<SettingKey, unknown>>) => validateSettings((k) => values[k]);

test("missing values take the defaults, which come from the decoder", () => {
    const { settings, warnings } = from({});
    assert.deepEqual(warnings, []);
    assert.equal(settings.entropyThreshold, DEFAULT_THRESHOLD);
    assert.equal(settings.tokenBudget, DEFAULT_BUDGET);
    assert.equal(settings.contextSize, DEFAULT_CONTEXT_SIZE);
    assert.equal(settings.mode, "stitch");
    assert.equal(settings.slmModelPath, "");
    assert.equal(settings.threads, 0);
    assert.equal(settings.temperature, 0);
});

test("valid values pass through unchanged, without warnings", () => {
    const values = { entropyThreshold: 0.3, tokenBudget: 1000, mode: "speculative", slmModelPath: "/m/a.gguf", temperature: 1.5, threads: 4 };
    const { settings, warnings } = from(values);
    assert.deepEqual(warnings, []);
    assert.equal(settings.entropyThreshold, 0.3);
    assert.equal(settings.tokenBudget, 1000);
    assert.equal(settings.mode, "speculative");
    assert.equal(settings.slmModelPath, "/m/a.gguf");
    assert.equal(settings.temperature, 1.5);
    assert.equal(settings.threads, 4);
});

test("out-of-range numbers are clamped, with a warning naming the setting, the value and the replacement", () => {
    const { settings, warnings } = from({ tokenBudget: 100000, entropyThreshold: -0.5, temperature: 9 });
    assert.equal(settings.tokenBudget, 8192);
    assert.equal(settings.entropyThreshold, 0);
    assert.equal(settings.temperature, 2);
    assert.equal(warnings.length, 3);
    assert.ok(warnings.includes("rstitch.tokenBudget: 100000 is above the maximum 8192; using 8192."), warnings.join("\n"));
    assert.ok(warnings.includes("rstitch.entropyThreshold: -0.5 is below the minimum 0; using 0."), warnings.join("\n"));
});

test("wrong types fall back to the default; integers are rounded; numeric strings are accepted", () => {
    const { settings, warnings } = from({ tokenBudget: "lots", contextSize: 1000.6, threads: "2", mode: "fast", llmModelPath: 42 });
    assert.equal(settings.tokenBudget, DEFAULT_BUDGET);
    assert.equal(settings.contextSize, 1001);
    assert.equal(settings.threads, 2);
    assert.equal(settings.mode, "stitch");
    assert.equal(settings.llmModelPath, "");
    assert.equal(warnings.length, 4, warnings.join("\n"));
    assert.ok(warnings.some((w) => w.startsWith("rstitch.tokenBudget:") && w.includes('"lots"')));
    assert.ok(warnings.some((w) => w.startsWith("rstitch.contextSize:") && w.includes("1001")));
    assert.ok(warnings.some((w) => w.startsWith("rstitch.mode:") && w.includes('"fast"')));
    assert.ok(warnings.some((w) => w.startsWith("rstitch.llmModelPath:")));
});

test("NaN and Infinity are not numbers here", () => {
    const { settings, warnings } = from({ entropyThreshold: Number.NaN, tokenBudget: Number.POSITIVE_INFINITY });
    assert.equal(settings.entropyThreshold, DEFAULT_THRESHOLD);
    assert.equal(settings.tokenBudget, DEFAULT_BUDGET);
    assert.equal(warnings.length, 2);
});

test("model paths expand ~, ${userHome}, ${workspaceFolder} and relative paths", () => {
    const ctx = { home: "/home/u", workspaceFolder: "/ws" };
    const x = (p: string, c: { home: string; workspaceFolder?: string } = ctx) => expandModelPath(p, c, join, isAbsolute);
    assert.equal(x(""), "");
    assert.equal(x("~/models/a.gguf"), "/home/u/models/a.gguf");
    assert.equal(x("${userHome}/a.gguf"), "/home/u/a.gguf");
    assert.equal(x("${workspaceFolder}/m/a.gguf"), "/ws/m/a.gguf");
    assert.equal(x("m/a.gguf"), "/ws/m/a.gguf");
    assert.equal(x("/abs/a.gguf"), "/abs/a.gguf");
    assert.equal(x("m/a.gguf", { home: "/home/u" }), "m/a.gguf", "no workspace: left for the loader to report");
});

test("package.json's configuration mirrors the settings table (defaults, bounds, enums)", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    const props = pkg.contributes.configuration.properties as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(props).sort(), Object.keys(SETTING_SPECS).map((k) => `rstitch.${k}`).sort());
    for (const [key, spec] of Object.entries(SETTING_SPECS)) {
        const p = props[`rstitch.${key}`];
        assert.equal(p.default, spec.default, `${key} default`);
        assert.ok(typeof p.markdownDescription === "string" || typeof p.description === "string", `${key} is described`);
        assert.equal(typeof p.order, "number", `${key} has an order`);
        if (spec.kind === "number" || spec.kind === "integer") {
            assert.equal(p.type, spec.kind, `${key} type`);
            assert.equal(p.minimum, spec.minimum, `${key} minimum`);
            assert.equal(p.maximum, spec.maximum, `${key} maximum`);
        } else if (spec.kind === "enum") {
            assert.deepEqual(p.enum, spec.values, `${key} enum`);
            assert.equal((p.enumDescriptions as string[]).length, spec.values.length, `${key} enumDescriptions`);
        } else {
            assert.equal(p.type, "string", `${key} type`);
        }
    }
});
