/** Which calibration the editor routes with (src/extension/pair-calibration.ts), on the real shipped file. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { pairCalibration } from "../../src/extension/pair-calibration.ts";

const demo = { slm: resolve("models/demo-slm.gguf"), llm: resolve("models/demo-llm.gguf") };

test("threshold routing needs no calibration; router and budget use the demo pair's shipped one", () => {
    assert.deepEqual(pairCalibration("threshold", demo.slm, demo.llm, false), { routing: "threshold" });
    for (const routing of ["router", "budget"] as const) {
        const r = pairCalibration(routing, demo.slm, demo.llm, false);
        assert.ok(!("warning" in r) && r.calibration, JSON.stringify(r));
        assert.equal(r.routing, routing);
        assert.equal(r.calibration.file, resolve("models/demo.calibration.json"));
    }
});

test("no calibration, a bad one, or a remote LLM: the entropy rule, with a warning that names the setting and says why", () => {
    const dir = mkdtempSync(join(tmpdir(), "rstitch-ext-cal-"));
    try {
        const slm = join(dir, "a-slm.gguf"), llm = join(dir, "a-llm.gguf");
        const none = pairCalibration("router", slm, llm, false);
        assert.ok("warning" in none);
        assert.equal(none.routing, "threshold");
        assert.match(none.warning, /^rstitch\.routing: router needs the pair's calibration; there is none at .*a\.calibration\.json \(make one with rstitch calibrate/);
        writeFileSync(join(dir, "a.calibration.json"), "{}");
        const bad = pairCalibration("budget", slm, llm, false);
        assert.ok("warning" in bad);
        assert.match(bad.warning, /cannot be used: it is not an R-Stitch calibration/);
        const remote = pairCalibration("router", demo.slm, demo.llm, true);
        assert.ok("warning" in remote);
        assert.match(remote.warning, /runs on a server/);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});
