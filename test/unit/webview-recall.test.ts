import assert from "node:assert/strict";
import { test } from "node:test";
import { ChatModel, MAX_SENT } from "../../webview/model.ts";
import { Recall } from "../../webview/recall.ts";

test("Up in the empty box recalls the sent questions newest first; Down goes back to the empty box", () => {
    const r = new Recall(() => ["a", "b", "c"]);
    assert.equal(r.up(""), "c");
    assert.equal(r.up("c"), "b");
    assert.equal(r.up("b"), "a");
    assert.equal(r.up("a"), undefined, "the oldest: Up moves the caret");
    assert.equal(r.down("a"), "b");
    assert.equal(r.down("b"), "c");
    assert.equal(r.down("c"), "", "past the newest: the box is empty again");
    assert.equal(r.down(""), undefined);
});

test("Up does nothing in a box with text, and editing a recalled question ends the recall", () => {
    const r = new Recall(() => ["a", "b"]);
    assert.equal(r.up("draft"), undefined);
    assert.equal(r.up(""), "b");
    assert.equal(r.up("b edited"), undefined, "the edit is kept");
    assert.equal(r.down("b edited"), undefined);
    assert.equal(new Recall(() => []).up(""), undefined, "nothing sent yet");
});

test("the view remembers sent questions across a reload, once per run of repeats, at most MAX_SENT", () => {
    const m = new ChatModel();
    m.remember("x");
    m.remember("x");
    m.remember("y");
    const again = new ChatModel(JSON.parse(JSON.stringify(m.saved())));
    assert.deepEqual(again.sent, ["x", "y"]);
    for (let i = 0; i < MAX_SENT + 5; i++) again.remember(`q${i}`);
    assert.equal(again.sent.length, MAX_SENT);
    assert.equal(again.sent.at(-1), `q${MAX_SENT + 4}`);
    assert.deepEqual(new ChatModel({ sent: [1, "ok", null] as unknown as string[] }).sent, ["ok"], "a damaged saved list keeps its strings");
});

test("the edit-and-resend Undo offer lasts until the next question, another chat or a Clear", () => {
    const m = new ChatModel();
    m.apply({ type: "undoOffer", action: "resend", message: "Question edited: 2 turns replaced." });
    assert.equal(m.undoResend, "Question edited: 2 turns replaced.");
    m.apply({ type: "turnStart", turn: { id: "t", kind: "solve", prompt: "q", mode: "stitch", threshold: 0.1, models: "a", tokens: [], state: "running" } });
    assert.equal(m.undoResend, undefined);
    m.apply({ type: "undoOffer", action: "resend", message: "m" });
    m.apply({ type: "init", turns: [], status: { state: "idle", models: "a" } });
    assert.equal(m.undoResend, undefined);
});
