import assert from "node:assert/strict";
import { test } from "node:test";
import type { StitchStats, Turn } from "../../src/protocol.ts";
import { AnswerWatch } from "../../webview/answer-watch.ts";
import { clampText } from "../../webview/clamp.ts";
import { ChatModel } from "../../webview/model.ts";
import { checkHostMessage, describeRefused, savedTurns } from "../../webview/validate.ts";

const stats: StitchStats = {
    mode: "stitch", threshold: 0.1,
    slm: { tokens: 3, prefillTokens: 4, calls: 3, wallMs: 3 }, llm: { tokens: 1, prefillTokens: 4, calls: 2, wallMs: 5 },
    totalTokens: 4, switches: 2, discardedSlmTokens: 0, llmShare: 0.25, wallMs: 10, tokensPerSecond: 400,
};
const turn: Turn = { id: "a", kind: "solve", prompt: "q", mode: "stitch", threshold: 0.1, models: "s + l", tokens: [["x", "slm", 0.1]], state: "running" };
const status = { state: "idle", models: "s + l" };

test("well-formed host messages pass the boundary unchanged", () => {
    const good: unknown[] = [
        { type: "init", turns: [turn], status },
        { type: "status", status: { ...status, lastTokensPerSecond: 12.5 } },
        { type: "turnStart", turn },
        { type: "tokens", turnId: "a", tokens: [["2", "llm", 0.3], ["", "slm", 0]] },
        { type: "turnDone", turnId: "a", answer: null, stopReason: "abort", stats },
        { type: "turnDone", turnId: "a", answer: "5", stopReason: "eog", stats: { ...stats, draft: { proposed: 3, accepted: 2 } } },
        { type: "turnError", turnId: "a", message: "boom" },
        { type: "restorePrompt", text: "again" },
        { type: "notice", level: "warning", message: "busy" },
        { type: "cleared" },
        { type: "cleared", undoable: true },
        { type: "noticeCleared" },
        { type: "status", status: { ...status, problem: "SLM file missing" } },
    ];
    for (const msg of good) {
        const c = checkHostMessage(msg);
        assert.ok(c.ok, JSON.stringify(msg) + (c.ok ? "" : ` — ${c.reason}`));
        assert.deepEqual(JSON.parse(JSON.stringify(c.msg)), msg);
    }
});

test("malformed host messages are refused with a reason, never thrown", () => {
    const hostile = { get type(): string { throw new Error("getter"); } };
    const bad: [unknown, RegExp][] = [
        [null, /message is not an object/],
        ["tokens", /message is not an object/],
        [[], /message is not an object/],
        [{}, /unknown message type/],
        [{ type: "explode" }, /unknown message type "explode"/],
        [{ type: "init", status }, /turns is not a list/], // an init without turns
        [{ type: "init", turns: [{ ...turn, tokens: "abc" }], status }, /turns\[0\]\.tokens is not a list/],
        [{ type: "tokens", turnId: "a", tokens: 5 }, /tokens is not a list/], // was "msg.tokens is not iterable"
        [{ type: "tokens", turnId: "a", tokens: [["x", "slm", "0.5"]] }, /tokens\[0\] entropy is not a number/], // was "entropy.toFixed is not a function"
        [{ type: "tokens", turnId: "a", tokens: [["x", "gpu", 0.5]] }, /tokens\[0\] source is not one of slm, llm/],
        [{ type: "tokens", turnId: "a", tokens: [["x", "slm"]] }, /not \[text, source, entropy\]/],
        [{ type: "tokens", turnId: 7, tokens: [] }, /turnId is not a string/],
        [{ type: "turnDone", turnId: "a", answer: 5, stopReason: "eog", stats }, /answer is not a string/],
        [{ type: "turnDone", turnId: "a", answer: "5", stopReason: "eog", stats: { ...stats, wallMs: Infinity } }, /stats.wallMs is not a number/],
        [{ type: "turnDone", turnId: "a", answer: "5", stopReason: "eog" }, /stats is not an object/],
        [{ type: "notice", level: "fatal", message: "x" }, /level is not one of/],
        [{ type: "status", status: { state: "idle" } }, /status.models is not a string/],
        [{ type: "turnStart", turn: { ...turn, state: "paused" } }, /turn.state is not one of/],
        [hostile, /unreadable message \(Error\)/],
    ];
    for (const [msg, reason] of bad) {
        const c = checkHostMessage(msg);
        assert.equal(c.ok, false, String(msg));
        if (!c.ok) assert.match(c.reason, reason);
    }
    assert.equal(describeRefused(hostile, "x"), 'R-Stitch view: dropped a malformed "?" message from the host: x');
    assert.equal(describeRefused({ type: "tokens" }, "tokens is not a list"), 'R-Stitch view: dropped a malformed "tokens" message from the host: tokens is not a list');
});

test("extra fields do not ride through the boundary", () => {
    const c = checkHostMessage({ type: "notice", level: "info", message: "m", html: "<b>x</b>" });
    assert.ok(c.ok);
    assert.deepEqual(c.msg, { type: "notice", level: "info", message: "m" });
});

test("a damaged saved state keeps its good turns only", () => {
    assert.deepEqual(savedTurns("nope"), []);
    assert.deepEqual(savedTurns([turn, { id: 3 }, null]).map((t) => t.id), ["a"]);
    assert.equal(new ChatModel({ turns: [{ bad: true }] as unknown as Turn[], draft: "d" }).turns.length, 0);
});

test("after Stop, tokens still in flight for the stopped turn are dropped", () => {
    const m = new ChatModel();
    m.apply({ type: "turnStart", turn: { ...turn, tokens: [] } });
    m.apply({ type: "tokens", turnId: "a", tokens: [["1", "slm", 0]] });
    assert.equal(m.stopRunning()?.id, "a");
    assert.equal(m.apply({ type: "tokens", turnId: "a", tokens: [["2", "slm", 0]] }), undefined);
    m.apply({ type: "turnDone", turnId: "a", answer: null, stopReason: "abort", stats });
    assert.deepEqual(m.find("a")!.tokens.map((t) => t[0]), ["1"]);
    // The next turn streams normally.
    m.apply({ type: "turnStart", turn: { ...turn, id: "b", tokens: [] } });
    assert.ok(m.apply({ type: "tokens", turnId: "b", tokens: [["3", "llm", 0]] }));
    // A huge batch is appended without spreading it onto the stack.
    m.apply({ type: "tokens", turnId: "b", tokens: Array.from({ length: 200_000 }, () => ["x", "slm", 0] as const).map((t) => [...t]) as never });
    assert.equal(m.find("b")!.tokens.length, 200_001);
});

test("long host text is clipped by characters and by lines, never inside a surrogate pair", () => {
    assert.deepEqual(clampText("short"), { text: "short", clipped: false });
    const long = clampText("x".repeat(100_000));
    assert.equal(long.clipped, true);
    assert.equal(long.text, "x".repeat(600) + " …");
    const lines = clampText(Array.from({ length: 50 }, (_, i) => `line ${i}`).join("\n"));
    assert.equal(lines.text, Array.from({ length: 8 }, (_, i) => `line ${i}`).join("\n") + " …");
    const emoji = clampText("a" + "😀".repeat(400), 600);
    assert.equal(emoji.text, "a" + "😀".repeat(299) + " …"); // 1 + 2*299 = 599 code units
    assert.doesNotMatch(emoji.text, /[\ud800-\udbff](?![\udc00-\udfff])/);
});

test("the answer is found while it streams: the demo pair's Answer line, split across tokens", () => {
    const w = new AnswerWatch();
    const fed = ["47 * 36", " = 1692", ".\n", "Ans", "wer", ":", " 1692"].map((t) => w.feed(t));
    // "Ans" + "wer" + ":" make the line match: those three tokens belong to the answer.
    assert.deepEqual(fed, [undefined, undefined, undefined, undefined, undefined, 3, undefined]);
    assert.equal(w.answerStarted, true);
    // "answer" mid-line is not the answer line.
    const mid = new AnswerWatch();
    assert.deepEqual(["the answer: 5 is", " wrong"].map((t) => mid.feed(t)), [undefined, undefined]);
    // A token that ends one line and starts the answer line.
    const joined = new AnswerWatch();
    assert.deepEqual(["so 5", ".\nAnswer: 5"].map((t) => joined.feed(t)), [undefined, 1]);
});

test("a reasoning model's </think> starts the answer, even split across tokens; Answer lines inside the thinking do not", () => {
    const w = new AnswerWatch();
    const fed = ["<think>", "Answer: maybe 4\n", "no, 5</th", "ink>", "\n\nIt is ", "5."].map((t) => w.feed(t));
    assert.deepEqual(fed, [undefined, undefined, undefined, 0, undefined, undefined]);
    const split = new AnswerWatch();
    assert.deepEqual(["<th", "ink>", "hmm", "</think>5"].map((t) => split.feed(t)), [undefined, undefined, undefined, 0]);
    const openedByTemplate = new AnswerWatch();
    assert.deepEqual(["hmm", "</", "think>", "5"].map((t) => openedByTemplate.feed(t)), [undefined, undefined, 0, undefined]);
});
