/** Which calibration the editor routes with (src/extension/pair-calibration.ts), on the real shipped file. */
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { pairCalibration, storedCalibrationPath } from "../../src/extension/pair-calibration.ts";

const demo = { slm: resolve("models/demo-slm.gguf"), llm: resolve("models/demo-llm.gguf") };
/** A calibrations folder with nothing in it. */
const emptyStore = join(tmpdir(), "rstitch-no-calibrations");

test("threshold routing needs no calibration; router and budget use the demo pair's shipped one", () => {
    assert.deepEqual(pairCalibration("threshold", demo.slm, demo.llm, false, emptyStore), { routing: "threshold" });
    for (const routing of ["router", "budget"] as const) {
        const r = pairCalibration(routing, demo.slm, demo.llm, false, emptyStore);
        assert.ok(!("warning" in r) && r.calibration, JSON.stringify(r));
        assert.equal(r.routing, routing);
        assert.equal(r.calibration.file, resolve("models/demo.calibration.json"));
    }
});

test("no calibration, a bad one, or a remote LLM: the entropy rule, with a warning that names the setting and says why", () => {
    const dir = mkdtempSync(join(tmpdir(), "rstitch-ext-cal-"));
    try {
        const slm = join(dir, "a-slm.gguf"), llm = join(dir, "a-llm.gguf");
        const none = pairCalibration("router", slm, llm, false, emptyStore);
        assert.ok("warning" in none);
        assert.equal(none.routing, "threshold");
        assert.match(none.warning, /^rstitch\.routing: router needs the pair's calibration; there is none at .*a\.calibration\.json \(make one with R-Stitch: Calibrate Models…, or rstitch calibrate/);
        writeFileSync(join(dir, "a.calibration.json"), "{}");
        const bad = pairCalibration("budget", slm, llm, false, emptyStore);
        assert.ok("warning" in bad);
        assert.match(bad.warning, /cannot be used: it is not an R-Stitch calibration/);
        const remote = pairCalibration("router", demo.slm, demo.llm, true, emptyStore);
        assert.ok("warning" in remote);
        assert.match(remote.warning, /runs on a server/);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});

test("the storage's calibration (Calibrate Models) comes before the one beside the models, and is named for the pair's two files", () => {
    const store = mkdtempSync(join(tmpdir(), "rstitch-ext-store-"));
    try {
        const file = storedCalibrationPath(store, demo.slm, demo.llm);
        assert.equal(dirname(file), store);
        assert.match(basename(file), /^demo-slm\+demo-llm-[0-9a-f]{10}\.calibration\.json$/);
        // Same names elsewhere, or the two files the other way round: another file.
        assert.notEqual(basename(storedCalibrationPath(store, "/elsewhere/demo-slm.gguf", "/elsewhere/demo-llm.gguf")), basename(file));
        assert.notEqual(storedCalibrationPath(store, demo.llm, demo.slm), file);
        assert.equal(storedCalibrationPath(store, demo.slm, demo.llm), file, "a pure function of the paths");

        mkdirSync(dirname(file), { recursive: true });
        copyFileSync("models/demo.calibration.json", file);
        const r = pairCalibration("router", demo.slm, demo.llm, false, store);
        assert.ok(!("warning" in r) && r.calibration);
        assert.equal(r.calibration.file, file);
        // A bad stored file is said as such (it is the pair's newest), not passed over silently.
        writeFileSync(file, "not json");
        const bad = pairCalibration("router", demo.slm, demo.llm, false, store);
        assert.ok("warning" in bad);
        assert.match(bad.warning, new RegExp(`${basename(file).replace(/[.+]/g, "\\$&")} cannot be used: it is not JSON`));
    } finally {
        rmSync(store, { recursive: true, force: true });
    }
});
