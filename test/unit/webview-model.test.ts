import assert from "node:assert/strict";
import { test } from "node:test";
import { tokenTitle, type HostToWebview, type StitchStats, type Turn } from "../../src/protocol.ts";
import { percent, statsLine, statsParts } from "../../webview/format.ts";
import { ChatModel, turnText } from "../../webview/model.ts";

const stats = (o: Partial<StitchStats> = {}): StitchStats => ({
    mode: "stitch", threshold: 0.1,
    slm: { tokens: 30, prefillTokens: 40, calls: 1, wallMs: 30 }, llm: { tokens: 10, prefillTokens: 35, calls: 10, wallMs: 100 },
    totalTokens: 40, switches: 7, discardedSlmTokens: 5, llmShare: 0.25, wallMs: 200, tokensPerSecond: 200, ...o,
});
const turn = (id: string): Turn => ({ id, kind: "solve", prompt: "What is 2+3?", mode: "stitch", threshold: 0.1, models: "s + l", tokens: [], state: "running" });

test("a streamed turn is built from turnStart, token batches and turnDone", () => {
    const m = new ChatModel();
    const msgs: HostToWebview[] = [
        { type: "init", turns: [], status: { state: "idle", models: "s + l" } },
        { type: "turnStart", turn: turn("a") },
        { type: "tokens", turnId: "a", tokens: [["2+3", "slm", 0.01], ["=", "llm", 0.4]] },
        { type: "tokens", turnId: "a", tokens: [["5\nAnswer: 5", "slm", 0]] },
        { type: "turnDone", turnId: "a", answer: "5", stopReason: "eog", stats: stats() },
    ];
    for (const msg of msgs) m.apply(msg);
    const t = m.find("a")!;
    assert.equal(t.state, "done");
    assert.equal(turnText(t), "2+3=5\nAnswer: 5");
    assert.deepEqual(t.tokens.map((x) => x[1]), ["slm", "llm", "slm"]);
    assert.equal(t.answer, "5");
    assert.equal(m.running, undefined);
});

test("tokens for an unknown turn are ignored; an error marks the turn", () => {
    const m = new ChatModel();
    m.apply({ type: "turnStart", turn: turn("a") });
    assert.equal(m.apply({ type: "tokens", turnId: "zzz", tokens: [["x", "slm", 0]] }), undefined);
    m.apply({ type: "turnError", turnId: "a", message: "boom" });
    assert.equal(m.find("a")!.state, "error");
    assert.equal(m.find("a")!.error, "boom");
});

test("a refused prompt comes back to the input, but never over something new the user typed", () => {
    const m = new ChatModel();
    m.apply({ type: "restorePrompt", text: "What is 17 + 25?" });
    assert.equal(m.draft, "What is 17 + 25?");
    m.draft = "a new question";
    m.apply({ type: "restorePrompt", text: "What is 17 + 25?" });
    assert.equal(m.draft, "a new question");
});

test("the webview's saved state restores the conversation and the draft", () => {
    const m = new ChatModel();
    m.apply({ type: "turnStart", turn: turn("a") });
    m.draft = "half-typed";
    const copy = new ChatModel(structuredClone(m.saved()));
    assert.equal(copy.turns.length, 1);
    assert.equal(copy.draft, "half-typed");
    assert.equal(new ChatModel(undefined).turns.length, 0);
});

test("a notice is shown until the next turn starts; clear empties everything", () => {
    const m = new ChatModel();
    m.apply({ type: "notice", level: "warning", message: "busy" });
    assert.equal(m.notice?.message, "busy");
    m.apply({ type: "turnStart", turn: turn("a") });
    assert.equal(m.notice, undefined);
    m.apply({ type: "cleared" });
    assert.equal(m.turns.length, 0);
});

test("token hover text names the model and the entropy", () => {
    assert.equal(tokenTitle("llm", 0.41234), "LLM · H = 0.412");
    assert.equal(tokenTitle("slm", 0), "SLM · H = 0.000");
});

test("the stats line has tokens by model, switches, tokens/s and the LLM share", () => {
    const line = statsLine(stats(), "eog");
    assert.equal(line, "30 SLM + 10 LLM tokens · 7 switches · 200.0 tok/s · LLM share 25% · 5 SLM tokens discarded · finished");
    assert.match(statsLine(stats({ mode: "llm", llm: { tokens: 40, prefillTokens: 0, calls: 1, wallMs: 100 }, llmShare: 1, discardedSlmTokens: 0 }), "abort"), /LLM share 100% · stopped$/);
});

test("no speedup figure is claimed, not even where prefill batches make the LLM's time per call look cheap", () => {
    // A stitched answer whose LLM calls were mostly prefill batches: 20 calls, 2 of them one-token
    // steps, 2,000 ms inside the LLM. Dividing the LLM's time by all its calls (100 ms) and
    // multiplying by 400 tokens would claim 40 s LLM-only vs 2.5 s taken: "≈16× vs LLM-only".
    const prefillHeavy = stats({
        slm: { tokens: 398, prefillTokens: 900, calls: 420, wallMs: 400 },
        llm: { tokens: 2, prefillTokens: 5000, calls: 20, wallMs: 2000 },
        totalTokens: 400, switches: 18, llmShare: 0.005, wallMs: 2500, tokensPerSecond: 160,
    });
    const parts = statsParts(prefillHeavy, "eog");
    assert.deepEqual(parts.map((p) => p.key), ["tokens", "switches", "speed", "share", "discarded", "stop"]);
    assert.doesNotMatch(statsLine(prefillHeavy, "eog"), /×|speedup|vs LLM/i);
    // Each remaining figure is a measurement, restated exactly in its hover.
    assert.equal(parts.find((p) => p.key === "speed")!.title, "Decoding speed over 2.50 s of wall time");
    assert.equal(percent(0.05), "5.0%");
    assert.equal(percent(0.5), "50%");
});

test("an answer with no tokens shows no tokens/s figure (never \"0.0 tok/s\")", () => {
    const empty = stats({ slm: { tokens: 0, prefillTokens: 40, calls: 1, wallMs: 3 }, llm: { tokens: 0, prefillTokens: 0, calls: 0, wallMs: 0 }, totalTokens: 0, switches: 0, discardedSlmTokens: 0, llmShare: 0, wallMs: 4, tokensPerSecond: 0 });
    assert.equal(statsLine(empty, "abort"), "0 SLM + 0 LLM tokens · 0 switches · LLM share 0% · stopped");
});

test("Clear offers Undo until the next question; the host's restored conversation ends the offer", () => {
    const m = new ChatModel();
    m.apply({ type: "turnStart", turn: turn("a") });
    m.apply({ type: "cleared", undoable: true });
    assert.equal(m.turns.length, 0);
    assert.equal(m.undoClear, true);
    m.apply({ type: "init", turns: [{ ...turn("a"), state: "done" }], status: { state: "idle", models: "s + l" } });
    assert.equal(m.undoClear, false, "Undo done: the turns are back");
    m.apply({ type: "cleared", undoable: true });
    m.apply({ type: "turnStart", turn: turn("b") });
    assert.equal(m.undoClear, false, "a new question ends the offer");
    m.apply({ type: "cleared" });
    assert.equal(m.undoClear, false, "nothing to undo after clearing an empty conversation");
});

test("a fixed problem removes its notice", () => {
    const m = new ChatModel();
    m.apply({ type: "notice", level: "error", message: "SLM file missing" });
    assert.equal(m.notice?.level, "error");
    m.apply({ type: "noticeCleared" });
    assert.equal(m.notice, undefined);
});

test("the demo note arrives with its turn's end and stays with that turn, through a save and a reload", () => {
    const m = new ChatModel();
    m.apply({ type: "turnStart", turn: turn("a") });
    m.apply({ type: "turnDone", turnId: "a", answer: "32", stopReason: "eog", stats: stats(), demoNote: "The embedded demo models only solve …" });
    m.apply({ type: "turnStart", turn: turn("b") });
    m.apply({ type: "turnDone", turnId: "b", answer: "5", stopReason: "eog", stats: stats() });
    assert.equal(m.find("a")!.demoNote, "The embedded demo models only solve …");
    assert.equal(m.find("b")!.demoNote, undefined);
    assert.equal(m.notice, undefined, "no banner");
    // Other models now: the status changes, the turn keeps its note.
    m.apply({ type: "status", status: { state: "idle", models: "s + l", pair: "s + l", demo: false } });
    const reloaded = new ChatModel(JSON.parse(JSON.stringify(m.saved())));
    assert.equal(reloaded.find("a")!.demoNote, "The embedded demo models only solve …");
});
