/** The load run's figures (src/evaluation/load-figures.ts) and the server counters it reads (server-metrics.ts). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { peopleAtEqualP95, percentile, phaseFigures, type LoadAnswer } from "../../src/evaluation/load-figures.ts";
import { counterDifference, parseServerMetrics } from "../../src/evaluation/server-metrics.ts";
import { clientOrder } from "../../src/evaluation/load.ts";

function answer(client: number, problem: number, ms: number, ids: number[], extra: Partial<LoadAnswer> = {}): LoadAnswer {
    return { client, problem, ms, ids, sources: ids.map(() => "slm"), text: "", llmRequests: 2, llmTokens: 1, llmPrefill: 10, ...extra };
}

test("percentile is nearest-rank: p50 and p95 of 1..20 are 10 and 19", () => {
    const xs = Array.from({ length: 20 }, (_, i) => 20 - i);
    assert.equal(percentile(xs, 50), 10);
    assert.equal(percentile(xs, 95), 19);
    assert.equal(percentile([7], 95), 7);
    assert.equal(percentile([], 95), 0);
});

test("phase figures: times and per-answer means over finished answers, errors counted and grouped, mismatches found", () => {
    const answers = [
        answer(0, 0, 1000, [1, 2, 3]),
        answer(1, 0, 3000, [1, 2, 3]),
        answer(0, 1, 2000, [4, 5], { llmRequests: 4, llmTokens: 3 }),
        answer(1, 1, 9000, [4, 6]), // differs from client 0's answer to problem 1
        answer(2, 0, 50, [1], { error: "The LLM server at x dropped the connection" }),
        answer(2, 1, 60, [], { error: "The LLM server at x dropped the connection" }),
    ];
    const f = phaseFigures("stitch", 3, 6, answers, 30_000, { promptTokens: 30, cachedPromptTokens: 90, predictedTokens: 100, busyMs: 800 });
    assert.equal(f.answers, 4);
    assert.equal(f.errors, 2);
    assert.deepEqual(f.errorMessages, [{ message: "The LLM server at x dropped the connection", count: 2 }]);
    assert.equal(f.notRun, 0);
    assert.equal(f.answersPerMinute, 8);
    assert.equal(f.p50Ms, 2000);
    assert.equal(f.p95Ms, 9000);
    assert.equal(f.llmRequestsPerAnswer, 2.5);
    assert.equal(f.llmTokensPerAnswer, 1.5);
    assert.equal(f.tokensPerAnswer, 2.5);
    assert.equal(f.mismatches, 1);
    assert.equal(f.server?.promptCacheReuse, 0.75);
    assert.equal(f.server?.busyMsPerAnswer, 200);
    assert.equal(phaseFigures("llm", 1, 3, answers.slice(0, 1), 1000, null).notRun, 2);
    assert.equal(phaseFigures("llm", 1, 1, answers.slice(0, 1), 1000, null).server, null);
});

test("people at equal p95: interpolated on the stitched curve, 'beyond' past the last point, null below the first", () => {
    const points = [
        { clients: 1, stitchP95Ms: 100, llmP95Ms: 300 },
        { clients: 2, stitchP95Ms: 200, llmP95Ms: 700 },
        { clients: 4, stitchP95Ms: 400, llmP95Ms: 1500 },
        { clients: 8, stitchP95Ms: 1200, llmP95Ms: 3000 },
    ];
    // 1 LLM-only client: 300 ms, halfway between 2 (200) and 4 (400) stitched clients.
    assert.deepEqual(peopleAtEqualP95(points, 1), { people: 3, beyond: false });
    // 2: 700 ms, between 4 (400) and 8 (1200): 4 + 300/800 × 4 = 5.5.
    assert.deepEqual(peopleAtEqualP95(points, 2), { people: 5.5, beyond: false });
    assert.deepEqual(peopleAtEqualP95(points, 4), { people: 8, beyond: true });
    assert.deepEqual(peopleAtEqualP95([{ clients: 1, stitchP95Ms: 500, llmP95Ms: 300 }], 1), { people: null, beyond: false });
    assert.throws(() => peopleAtEqualP95(points, 3), /no measured point at 3/);
});

test("llama-server's /metrics text is read; a server without the counters gives null; a restart gives no difference", () => {
    const text = [
        "# HELP llamacpp:prompt_tokens_total Number of prompt tokens processed, excluding cached tokens",
        "# TYPE llamacpp:prompt_tokens_total counter",
        "llamacpp:prompt_tokens_total 120",
        "llamacpp:prompt_tokens_cached_total 480",
        "llamacpp:prompt_seconds_total 0.5",
        "llamacpp:tokens_predicted_total 300",
        "llamacpp:tokens_predicted_seconds_total 1.25",
        "llamacpp:prompt_tokens_seconds 240",
    ].join("\n");
    const c = parseServerMetrics(text);
    assert.deepEqual(c, { promptTokens: 120, cachedPromptTokens: 480, predictedTokens: 300, busyMs: 1750 });
    assert.equal(parseServerMetrics("vllm:num_requests_running 1\n"), null);
    const later = { promptTokens: 150, cachedPromptTokens: 600, predictedTokens: 400, busyMs: 2000 };
    assert.deepEqual(counterDifference(later, c), { promptTokens: 30, cachedPromptTokens: 120, predictedTokens: 100, busyMs: 250 });
    assert.equal(counterDifference(c, later), null);
    assert.equal(counterDifference(later, null), null);
});

test("each client answers every problem once, starting at its own offset", () => {
    assert.deepEqual(clientOrder(0, 4, 8), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(clientOrder(1, 4, 8), [2, 3, 4, 5, 6, 7, 0, 1]);
    assert.deepEqual(clientOrder(3, 4, 2), [1, 0]);
});
