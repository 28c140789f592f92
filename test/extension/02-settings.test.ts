import * as assert from "node:assert/strict";
import { api, resetSettings, setSetting } from "./helpers.ts";

describe("settings", () => {
    afterEach(resetSettings);

    it("reads back what was written, without a reload", async () => {
        const a = await api();
        await setSetting("tokenBudget", 64);
        await setSetting("entropyThreshold", 0.25);
        await setSetting("mode", "llm");
        await setSetting("temperature", 0.5);
        const { settings, warnings } = a.settings();
        assert.equal(settings.tokenBudget, 64);
        assert.equal(settings.entropyThreshold, 0.25);
        assert.equal(settings.mode, "llm");
        assert.equal(settings.temperature, 0.5);
        assert.deepEqual(warnings, []);
    });

    it("replaces out-of-range values and names the setting in a warning", async () => {
        const a = await api();
        await setSetting("tokenBudget", 100000);
        await setSetting("entropyThreshold", -0.5);
        const { settings, warnings } = a.settings();
        assert.equal(settings.tokenBudget, 8192);
        assert.equal(settings.entropyThreshold, 0);
        assert.ok(warnings.some((w) => w.includes("rstitch.tokenBudget") && w.includes("100000") && w.includes("8192")), warnings.join("\n"));
        assert.ok(warnings.some((w) => w.includes("rstitch.entropyThreshold") && w.includes("-0.5")), warnings.join("\n"));
    });

    it("falls back to the default for a value of the wrong type", async () => {
        const a = await api();
        await setSetting("mode", "fastest");
        const { settings, warnings } = a.settings();
        assert.equal(settings.mode, "stitch");
        assert.ok(warnings.some((w) => w.includes("rstitch.mode") && w.includes("fastest")));
    });
});
