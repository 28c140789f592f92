import assert from "node:assert/strict";
import { test } from "node:test";
import type { PairSpec } from "../../src/extension/model-manager.ts";
import { pairProblem } from "../../src/extension/pair-problem.ts";

const spec = (o: Partial<PairSpec> = {}): PairSpec => ({
    slmPath: "/m/slm.gguf", llmPath: "/m/llm.gguf", contextSize: 2048, threads: 2, gpuLayers: 0,
    llmServerUrl: "", llmServerTimeoutMs: 60_000, llmServerApi: "auto", demo: { slm: false, llm: false }, ...o,
});
const only = (...present: string[]) => (p: string) => present.includes(p);

test("a configured pair whose files exist has no problem", () => {
    assert.equal(pairProblem(spec(), only("/m/slm.gguf", "/m/llm.gguf")), undefined);
});

test("a missing model file is named by role, with its path in the detail", () => {
    const slm = pairProblem(spec(), only("/m/llm.gguf"));
    assert.equal(slm?.short, "SLM file missing");
    assert.match(slm!.detail, /\/m\/slm\.gguf does not exist/);
    assert.equal(pairProblem(spec(), only("/m/slm.gguf"))?.short, "LLM file missing");
});

test("a missing embedded demo model says so; a remote LLM needs no local LLM file", () => {
    assert.equal(pairProblem(spec({ demo: { slm: true, llm: true } }), only("/m/llm.gguf"))?.short, "demo SLM missing");
    assert.equal(pairProblem(spec({ llmServerUrl: "http://gpu:8080" }), only("/m/slm.gguf")), undefined);
});
