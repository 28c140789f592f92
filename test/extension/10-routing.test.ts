import * as assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finished, resetSettings, setSetting, solve, useTestPair } from "./helpers.ts";

/** A problem on which the demo SLM is unsure in places at the default τ, so the router is asked. */
const HARD_PROBLEM = "What is 86 * 79?";

describe("rstitch.routing: the calibrated router and the budget in the editor", function () {
    before(async () => {
        await useTestPair();
        await setSetting("tokenBudget", 160);
    });
    after(resetSettings);

    it("router uses the demo pair's shipped calibration, says so in the stats, and each switch gives its reason", async function () {
        if (process.env.RSTITCH_TEST_SLM) this.skip();
        await setSetting("routing", "router");
        const { turn, stats } = finished(await solve(HARD_PROBLEM));
        assert.ok(stats?.calibration, "stats.calibration is set");
        assert.equal(stats.calibration.routing, "router");
        assert.equal(stats.calibration.file, "demo.calibration.json");
        assert.ok(stats.calibration.consulted > 0, "the router was asked on this problem");
        for (const s of turn.switches ?? []) assert.match(String(s.reason), s.to === "llm" ? /router P\(differs\)/ : /^LLM sure/);
    });

    it("budget holds rstitch.LLMShare", async function () {
        if (process.env.RSTITCH_TEST_SLM) this.skip();
        await setSetting("routing", "budget");
        await setSetting("LLMShare", 0.03);
        const { stats } = finished(await solve(HARD_PROBLEM));
        assert.equal(stats?.calibration?.routing, "budget");
        assert.equal(stats?.calibration?.llmShare, 0.03);
    });

    it("a pair without a calibration answers by the entropy rule (and no calibration in the stats)", async () => {
        const dir = mkdtempSync(join(tmpdir(), "rstitch-routing-"));
        try {
            const pair = await useTestPair();
            const slm = join(dir, "x-slm.gguf"), llm = join(dir, "x-llm.gguf");
            copyFileSync(pair.slm, slm);
            copyFileSync(pair.llm, llm);
            await setSetting("SLMModelPath", slm);
            await setSetting("LLMModelPath", llm);
            await setSetting("routing", "router");
            const { stats } = finished(await solve(HARD_PROBLEM));
            assert.ok(stats, "answered");
            assert.equal(stats.calibration, undefined);
        } finally {
            await useTestPair();
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
