import assert from "node:assert/strict";
import { test } from "node:test";
import { trimTurns } from "../../src/extension/conversation.ts";
import { chatPlace } from "../support/chat-place.ts";
import type { StitchStats, Turn } from "../../src/protocol.ts";

const turn = (id: string, n = 3, state: Turn["state"] = "done"): Turn => ({
    id, kind: "solve", prompt: `q${id}`, mode: "stitch", threshold: 0.1, models: "a + b", state,
    tokens: Array.from({ length: n }, (_, i) => [`t${i}`, i % 2 ? "llm" : "slm", 0.123456] as Turn["tokens"][number]),
});

const stats = { mode: "stitch", threshold: 0.1, slm: { tokens: 2, prefillTokens: 0, calls: 1, wallMs: 1 }, llm: { tokens: 1, prefillTokens: 0, calls: 1, wallMs: 1 }, totalTokens: 3, switches: 2, discardedSlmTokens: 1, llmShare: 1 / 3, wallMs: 10, tokensPerSecond: 300 } as StitchStats;

test("a conversation survives a restart through the store", async () => {
    const store = chatPlace();
    const c = store.open();
    c.add(turn("1", 0, "running"));
    c.appendTokens("1", [["4", "slm", 0.5], ["2", "llm", 0.25]]);
    c.finish("1", "42", "eog", stats);
    await c.save();

    const again = store.open();
    assert.equal(again.all().length, 1);
    const t = again.get("1")!;
    assert.equal(t.state, "done");
    assert.equal(t.answer, "42");
    assert.deepEqual(t.tokens, [["4", "slm", 0.5], ["2", "llm", 0.25]]);
    assert.equal(t.stats?.switches, 2);
});

test("entropies are stored rounded, to keep the state small", async () => {
    const store = chatPlace();
    const c = store.open();
    c.add(turn("1"));
    await c.save();
    assert.equal(store.open().get("1")!.tokens[0][2], 0.123);
});

test("a turn that was streaming when the window closed comes back as interrupted", async () => {
    const store = chatPlace();
    const c = store.open();
    c.add(turn("1", 2, "running"));
    await c.save();
    const t = store.open().get("1")!;
    assert.equal(t.state, "error");
    assert.match(t.error ?? "", /Interrupted/);
    assert.equal(t.tokens.length, 2, "its tokens are kept");
});

test("clear empties the stored conversation too", async () => {
    const store = chatPlace();
    const c = store.open();
    c.add(turn("1"));
    c.clear();
    await c.save();
    assert.equal(store.open().all().length, 0);
});

test("Undo of a Clear restores the turns before any asked since, and a cut-off one reads as stopped", async () => {
    const store = chatPlace();
    const c = store.open();
    c.add({ ...turn("1"), state: "done" });
    c.add({ ...turn("2"), state: "running" });
    const cleared = c.clear();
    assert.deepEqual(cleared.map((t) => t.id), ["1", "2"]);
    c.add({ ...turn("3"), state: "done" });
    c.restore(cleared);
    assert.deepEqual(c.all().map((t) => t.id), ["1", "2", "3"]);
    assert.equal(c.get("2")?.state, "error");
    assert.match(c.get("2")?.error ?? "", /cleared/);
    await c.save();
    assert.equal(store.open().all().length, 3);
});

test("garbage in the store is ignored", () => {
    const store = chatPlace();
    store.workspace.data.set("rstitch.conversation.v1", [null, 3, { id: 1 }, turn("ok")]);
    assert.deepEqual(store.open().all().map((t) => t.id), ["ok"]);
});

test("trimming keeps the newest turns within the turn and token limits", () => {
    const turns = Array.from({ length: 10 }, (_, i) => turn(String(i), 100));
    assert.deepEqual(trimTurns(turns, 4, 1e9).map((t) => t.id), ["6", "7", "8", "9"]);
    assert.deepEqual(trimTurns(turns, 100, 250).map((t) => t.id), ["8", "9"]);
    assert.deepEqual(trimTurns([turn("big", 1000)], 100, 10).map((t) => t.id), ["big"], "the newest turn is always kept");
});

test("token ids and switches are stored with the tokens (for Export Trace), and survive a restart", async () => {
    const store = chatPlace();
    const c = store.open();
    c.add({ ...turn("1", 0, "running"), tokenIds: [], switches: [], budget: 64 });
    c.appendTokens("1", [["4", "slm", 0.5]], [40]);
    c.appendTokens("1", [["2", "llm", 0.25]], [20], [{ index: 1, from: "slm", to: "llm", entropy: 0.3 }]);
    c.appendTokens("1", [], [], [{ index: 2, from: "llm", to: "slm", entropy: 0.001 }]);
    c.finish("1", "42", "eog", stats);
    await c.save();
    const t = store.open().get("1")!;
    assert.deepEqual(t.tokenIds, [40, 20]);
    assert.deepEqual(t.switches?.map((s) => `${s.index}:${s.from}>${s.to}`), ["1:slm>llm", "2:llm>slm"]);
    assert.equal(t.budget, 64);
});

test("a batch without ids drops the turn's ids altogether: never ids that do not line up with the tokens", () => {
    const c = chatPlace().open();
    c.add({ ...turn("1", 0, "running"), tokenIds: [] });
    c.appendTokens("1", [["4", "slm", 0.5]], [40]);
    c.appendTokens("1", [["2", "llm", 0.25]]);
    c.appendTokens("1", [["!", "slm", 0]], [1]);
    assert.equal(c.get("1")!.tokenIds, undefined);
});
