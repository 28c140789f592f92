import * as assert from "node:assert/strict";
import { test } from "node:test";
import type { Turn } from "../../src/protocol.ts";
import { traceOfTurn, turnOfTrace } from "../../src/extension/turn-trace.ts";
import { parseTrace, traceJson } from "../../src/trace.ts";

function doneTurn(): Turn {
    return {
        id: "t1",
        kind: "explain",
        prompt: "Explain this",
        label: "Explain selection · a.ts",
        mode: "stitch",
        threshold: 0.01,
        models: "demo-slm + demo-llm",
        // As a live turn stores them: the first token after each switch carries that switch's entropy.
        tokens: [["4", "slm", 0], ["2", "llm", 0.3, 0.3], ["\n", "slm", 0.002, 0.001]],
        tokenIds: [7, 8, 9],
        switches: [{ index: 1, from: "slm", to: "llm", entropy: 0.3 }, { index: 2, from: "llm", to: "slm", entropy: 0.001 }],
        budget: 64,
        state: "done",
        answer: "42",
        stopReason: "eog",
        stats: {
            mode: "stitch", threshold: 0.01,
            slm: { tokens: 2, prefillTokens: 5, wallMs: 1, calls: 3 }, llm: { tokens: 1, prefillTokens: 6, wallMs: 2, calls: 1 },
            totalTokens: 3, switches: 2, discardedSlmTokens: 1, llmShare: 1 / 3, wallMs: 4, tokensPerSecond: 750,
        },
    };
}

test("a finished turn becomes a trace with every token's id, text, source and entropy, and comes back the same", () => {
    const turn = doneTurn();
    const r = traceOfTurn(turn);
    assert.ok(r.ok, r.ok ? "" : r.reason);
    assert.deepEqual(r.trace.tokens, [
        { id: 7, text: "4", source: "slm", entropy: 0 },
        { id: 8, text: "2", source: "llm", entropy: 0.3 },
        { id: 9, text: "\n", source: "slm", entropy: 0.002 },
    ]);
    assert.deepEqual(r.trace.switches, turn.switches);
    assert.equal(r.trace.budget, 64);
    const parsed = parseTrace(traceJson(r.trace));
    assert.ok(parsed.ok);
    const back = turnOfTrace(parsed.trace, "t2", "x.json");
    const { id, openedFrom, kind, ...rest } = back;
    const { id: _i, kind: _k, ...expected } = turn;
    assert.deepEqual(rest, expected);
    assert.equal(openedFrom, "x.json");
    assert.equal(id, "t2");
    // Exported again, an opened trace writes the same file.
    const again = traceOfTurn(back);
    assert.ok(again.ok);
    assert.equal(traceJson(again.trace), traceJson(r.trace));
});

test("running, failed and id-less turns are not exported, with the reason", () => {
    assert.match(String((traceOfTurn({ ...doneTurn(), state: "running" }) as { reason: string }).reason), /still being written/);
    assert.match(String((traceOfTurn({ ...doneTurn(), state: "error", stats: undefined }) as { reason: string }).reason), /ended with an error/);
    assert.match(String((traceOfTurn({ ...doneTurn(), tokenIds: undefined }) as { reason: string }).reason), /without its token ids/);
    assert.match(String((traceOfTurn({ ...doneTurn(), tokenIds: [1] }) as { reason: string }).reason), /without its token ids/);
});
