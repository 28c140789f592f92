/** rstitch.LLMServerURL / LLMServerTimeout: validation, the pair they ask for, and the label that says "LLM: remote". */
import assert from "node:assert/strict";
import { test } from "node:test";
import { pairLabel, pairSpec } from "../../src/extension/model-manager.ts";
import { validateSettings, type SettingKey } from "../../src/extension/settings-schema.ts";

const settingsWith = (values: Partial<Record<SettingKey, unknown>>) => validateSettings((k) => values[k]);

test("an empty server URL keeps the LLM local; a valid one is normalised", () => {
    assert.equal(settingsWith({}).settings.llmServerUrl, "");
    assert.equal(settingsWith({ llmServerUrl: " http://gpu-box:8080/ " }).settings.llmServerUrl, "http://gpu-box:8080");
    assert.equal(settingsWith({}).settings.llmServerTimeout, 60);
});

test("a bad server URL warns, names the setting, and falls back to the local LLM", () => {
    const r = settingsWith({ llmServerUrl: "gpu-box:8080" });
    assert.equal(r.settings.llmServerUrl, "");
    assert.match(r.warnings.join("\n"), /^rstitch\.LLMServerURL: .*http:\/\/ or https:\/\/.*Using the local LLM\.$/m);
    assert.match(settingsWith({ llmServerTimeout: 0 }).warnings.join("\n"), /rstitch\.LLMServerTimeout: 0 is below the minimum 1/);
});

test("the pair spec carries the server and its timeout; the label says the LLM is remote", () => {
    const local = pairSpec(settingsWith({}).settings, "/ext");
    assert.equal(local.llmServerUrl, "");
    assert.equal(pairLabel(local), "demo-slm + demo-llm");
    const remote = pairSpec(settingsWith({ llmServerUrl: "http://gpu-box:8080", llmServerTimeout: 5 }).settings, "/ext");
    assert.equal(remote.llmServerUrl, "http://gpu-box:8080");
    assert.equal(remote.llmServerTimeoutMs, 5000);
    assert.equal(pairLabel(remote), "demo-slm + LLM: remote (gpu-box:8080)");
});
