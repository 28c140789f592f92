/**
 * The calibrated routings on the real demo pair: at the pinned edges they are the single-model modes
 * token for token, the router only ever removes hand-overs the entropy rule would make, and every
 * switch says why.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { parseCalibration } from "../../src/stitch/calibration.ts";
import { loadPair, type ModelPair, type SolveOptions } from "../../src/stitch/index.ts";
import { collect } from "../support/collect.ts";

const PROMPTS = ["What is 715 * 4?", "What is 146 - 78?", "What is 40 * 93?"];
const BUDGET = 96;
const ids = (c: { tokens: { id: number }[] }) => c.tokens.map((t) => t.id);

describe("router and budget routing on the demo pair", () => {
    let pair: ModelPair;
    let calibration: NonNullable<SolveOptions["calibration"]>;

    before(async () => {
        const read = parseCalibration(readFileSync("models/demo.calibration.json", "utf8"));
        assert.ok(read.ok);
        calibration = { file: "models/demo.calibration.json", calibration: read.calibration };
        pair = await loadPair({ slmPath: "models/demo-slm.gguf", llmPath: "models/demo-llm.gguf", threads: 1, contextSize: 1024 });
    });
    after(async () => {
        await pair?.dispose();
    });

    test("τ = 0 is LLM only and τ = 1 SLM only, under the router and the budget alike", async () => {
        for (const prompt of PROMPTS) {
            const llm = ids(await collect(pair, { prompt, mode: "llm", budget: BUDGET }));
            const slm = ids(await collect(pair, { prompt, mode: "slm", budget: BUDGET }));
            for (const routing of ["router", "budget"] as const) {
                const at0 = await collect(pair, { prompt, mode: "stitch", threshold: 0, routing, calibration, budget: BUDGET });
                assert.deepEqual(ids(at0), llm, `${routing} τ=0 ${prompt}`);
                assert.equal(at0.done.stats.calibration?.consulted, 0, "no router at the pinned edge");
                const at1 = await collect(pair, { prompt, mode: "stitch", threshold: 1, routing, calibration, budget: BUDGET });
                assert.deepEqual(ids(at1), slm, `${routing} τ=1 ${prompt}`);
            }
        }
    });

    test("the router is asked exactly where the entropy rule hands over, and each switch gives its reason", async () => {
        let consulted = 0;
        for (const prompt of PROMPTS) {
            const r = await collect(pair, { prompt, mode: "stitch", routing: "router", calibration, budget: BUDGET });
            const tau = r.done.stats.threshold;
            const c = r.done.stats.calibration!;
            consulted += c.consulted;
            // Every hand-over to the LLM was a point above τ where the router said the SLM's token would differ.
            for (const s of r.switches) {
                assert.ok(s.reason, JSON.stringify(s));
                if (s.to === "llm") {
                    assert.ok(s.entropy > tau);
                    assert.match(s.reason!, /^H \d\.\d{3} > τ [\d.]+; router P\(differs\) \d\.\d{3} > cut/);
                } else {
                    assert.match(s.reason!, /^LLM sure: H \d\.\d{3} ≤ τ/);
                }
            }
            assert.equal(c.consulted - c.stayed, r.switches.filter((s) => s.to === "llm").length, "each switch to the LLM is a consultation that said switch");
        }
        assert.ok(consulted > 0, "the prompts reach hand-over points");
    });
});
