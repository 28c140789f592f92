import assert from "node:assert/strict";
import { test } from "node:test";
import { chatPlace } from "../support/chat-place.ts";
import type { Turn } from "../../src/protocol.ts";
import { ChatModel } from "../../webview/model.ts";
import { checkHostMessage, savedTurns } from "../../webview/validate.ts";

// The hand-over entropy rides on the first token of a span as a 4th element: it crosses the
// boundary, is stored by the host and the view, and comes back after a reload.

const turn = (tokens: Turn["tokens"]): Turn => ({ id: "t", kind: "solve", prompt: "q", mode: "stitch", threshold: 0.01, models: "a + b", tokens, state: "done" });

test("the view's boundary takes a token with its hand-over entropy, and refuses a bad one", () => {
    const ok = checkHostMessage({ type: "tokens", turnId: "t", tokens: [["a", "slm", 0.1], ["b", "llm", 0.3, 0.21]] });
    assert.ok(ok.ok);
    assert.deepEqual(ok.ok && ok.msg.type === "tokens" && ok.msg.tokens, [["a", "slm", 0.1], ["b", "llm", 0.3, 0.21]]);
    const bad = checkHostMessage({ type: "tokens", turnId: "t", tokens: [["b", "llm", 0.3, "0.21"]] });
    assert.deepEqual(bad, { ok: false, reason: "tokens[0] handover entropy is not a number" });
    const long = checkHostMessage({ type: "tokens", turnId: "t", tokens: [["b", "llm", 0.3, 0.2, 1]] });
    assert.equal(long.ok, false);
    assert.match(!long.ok ? long.reason : "", /is not \[text, source, entropy\] or \[text, source, entropy, handover\]/);
});

test("the host stores the hand-over entropy (rounded) and the view keeps it across a reload", async () => {
    const store = chatPlace();
    const c = store.open();
    c.add(turn([["a", "slm", 0.1], ["b", "llm", 0.3, 0.212345]]));
    await c.save();
    const stored = store.open().get("t")!.tokens;
    assert.deepEqual(stored, [["a", "slm", 0.1], ["b", "llm", 0.3, 0.212]]);

    const view = new ChatModel({ turns: [turn(stored)], draft: "" });
    const again = new ChatModel(JSON.parse(JSON.stringify(view.saved())));
    assert.deepEqual(again.turns[0].tokens[1], ["b", "llm", 0.3, 0.212]);
    assert.equal(savedTurns([turn([["b", "llm", 0.3, Number.NaN]])]).length, 0, "a damaged saved turn is dropped");
});
