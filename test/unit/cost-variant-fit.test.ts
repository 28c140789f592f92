import assert from "node:assert/strict";
import { test } from "node:test";
import { costVariantDir, fitLayers } from "../../src/evaluation/cost-variant.ts";

test("the layer count comes from the line through the two measured points", () => {
    // LLM ms = 0.5 + 0.1 × layers, SLM 0.4 ms: ratio 10 at (4 − 0.5) / 0.1 = 35 layers.
    const f = fitLayers(10, [{ layers: 8, slmMs: 0.4, llmMs: 1.3 }, { layers: 32, slmMs: 0.4, llmMs: 3.7 }], 8);
    assert.ok(Math.abs(f.perLayerMs - 0.1) < 1e-12 && Math.abs(f.fixedMs - 0.5) < 1e-12);
    assert.equal(f.layers, 35);
    assert.ok(Math.abs(f.predictedRatio - 10) < 1e-9);
    // A ratio the source already exceeds keeps the source's own layers.
    assert.equal(fitLayers(2, [{ layers: 8, slmMs: 0.4, llmMs: 1.3 }, { layers: 32, slmMs: 0.4, llmMs: 3.7 }], 8).layers, 8);
});

test("a probe that measured no slower than the source is refused, not extrapolated", () => {
    assert.throws(() => fitLayers(10, [{ layers: 8, slmMs: 0.4, llmMs: 1.3 }, { layers: 32, slmMs: 0.4, llmMs: 1.2 }], 8), /too noisy to fit/);
});

test("variants are cached beside the CLI's models folder, whatever RSTITCH_MODELS_DIR says", () => {
    assert.equal(costVariantDir({ env: { RSTITCH_MODELS_DIR: "/m" }, platform: "linux", home: "/home/u" }), "/home/u/.cache/rstitch/cost-variants");
    assert.equal(costVariantDir({ env: { XDG_CACHE_HOME: "/x" }, platform: "linux", home: "/home/u" }), "/x/rstitch/cost-variants");
});
