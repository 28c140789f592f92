import * as assert from "node:assert/strict";
import { test } from "node:test";
import type { StitchStats, TokenTuple, Turn, TurnSwitch } from "../../src/protocol.ts";
import { keepShown, keptStats } from "../../src/turn-counts.ts";
import { statsDetails, statsLine } from "../../webview/format.ts";
import { ChatModel } from "../../webview/model.ts";
import { stripTokenAt } from "../../webview/timeline-scale.ts";
import { cursorStatus } from "../../webview/trace-cursor.ts";
import { tokenNumber, tokenOf } from "../../webview/token-number.ts";

/** A stopped answer as the decoder reported it: 539 tokens (31 SLM + 508 LLM), 311 switches. */
const decoded: StitchStats = {
    mode: "stitch", threshold: 0.02,
    slm: { tokens: 31, prefillTokens: 700, wallMs: 900, calls: 340 },
    llm: { tokens: 508, prefillTokens: 1200, wallMs: 2100, calls: 520 },
    totalTokens: 539, switches: 311, discardedSlmTokens: 155, llmShare: 508 / 539, wallMs: 3000, tokensPerSecond: 179.7,
    prompt: { tokens: 40, prefill: { slm: 40, llm: 40 }, turnsLeftOut: 0, contextSize: 4096 },
};

/** 354 tokens alternating in runs (SLM 2, LLM 3), a switch at each change: what the view had painted. */
function shownOutput(n = 354): { tokens: TokenTuple[]; switches: TurnSwitch[] } {
    const tokens: TokenTuple[] = [];
    const switches: TurnSwitch[] = [];
    for (let i = 0; i < n; i++) {
        const source = i % 5 < 2 ? "slm" : "llm";
        if (i > 0 && tokens[i - 1][1] !== source) switches.push({ index: i, from: tokens[i - 1][1], to: source, entropy: source === "llm" ? 0.3 : 0.001 });
        tokens.push([`t${i} `, source, 0.1]);
    }
    return { tokens, switches };
}

test("a stopped turn's stats count the tokens and switches it kept; the decoding's work stays as measured", () => {
    const { tokens, switches } = shownOutput();
    const s = keptStats(decoded, tokens, switches);
    const llm = tokens.filter((t) => t[1] === "llm").length;
    assert.equal(s.totalTokens, 354);
    assert.equal(s.slm.tokens + s.llm.tokens, 354);
    assert.equal(s.llm.tokens, llm);
    assert.equal(s.switches, switches.length);
    assert.equal(s.llmShare, llm / 354);
    // Work done is not recounted: prefill, calls, times, discarded tokens, the measured speed, the prompt.
    assert.deepEqual([s.slm.prefillTokens, s.llm.calls, s.wallMs, s.discardedSlmTokens, s.tokensPerSecond, s.prompt], [700, 520, 3000, 155, 179.7, decoded.prompt]);
    // The stats line says what the header ("Thinking · 354 tokens") and the timeline say.
    assert.match(statsLine(s, "abort"), new RegExp(`^${354 - llm} SLM \\+ ${llm} LLM tokens · ${switches.length} switches · `));
    // Stats that already agree come back equal, field order included (a trace reads back byte for byte).
    assert.equal(JSON.stringify(keptStats(s, tokens, switches)), JSON.stringify(s));
    assert.equal(keptStats(decoded, [], []).llmShare, 0);
});

test("the host cuts a stopped turn back to what the view showed, never lengthens it", () => {
    const { tokens, switches } = shownOutput(20);
    const turn = { tokens: [...tokens], tokenIds: tokens.map((_, i) => 1000 + i), switches: [...switches] };
    keepShown(turn, { tokens: 12, switches: 4 });
    assert.equal(turn.tokens.length, 12);
    assert.deepEqual(turn.tokenIds, tokens.slice(0, 12).map((_, i) => 1000 + i));
    assert.deepEqual(turn.switches, switches.slice(0, 4));
    // A switch past the kept tokens goes (the view never drew it); a longer "shown" changes nothing.
    const other = { tokens: tokens.slice(0, 6), switches: [...switches] };
    keepShown(other, { tokens: 100, switches: 100 });
    assert.equal(other.tokens.length, 6);
    assert.deepEqual(other.switches.map((s) => s.index), switches.filter((s) => s.index <= 6).map((s) => s.index));
});

test("the view: a turn stopped there shows stats counted from its own tokens, even when the host counted more", () => {
    const m = new ChatModel();
    const turn: Turn = { id: "a", kind: "solve", prompt: "p", mode: "stitch", threshold: 0.02, models: "m", tokens: [], switches: [], state: "running" };
    const { tokens, switches } = shownOutput(30);
    m.apply({ type: "turnStart", turn });
    m.apply({ type: "tokens", turnId: "a", tokens: tokens.slice(0, 20), switches: switches.filter((s) => s.index < 20) });
    m.stopRunning();
    m.apply({ type: "tokens", turnId: "a", tokens: tokens.slice(20), switches: switches.filter((s) => s.index >= 20) });
    m.apply({ type: "turnDone", turnId: "a", answer: null, stopReason: "abort", stats: decoded });
    const t = m.find("a")!;
    assert.equal(t.tokens.length, 20);
    assert.equal(t.stats!.totalTokens, 20);
    assert.equal(t.stats!.switches, t.switches!.length);
    // A turn not stopped in the view takes the host's stats as they are.
    m.apply({ type: "turnStart", turn: { ...turn, id: "b" } });
    m.apply({ type: "turnDone", turnId: "b", answer: null, stopReason: "abort", stats: decoded });
    assert.equal(m.find("b")!.stats!.totalTokens, 539);
});

test("tokens are numbered from 1 everywhere a person reads them", () => {
    assert.equal(tokenNumber(0), 1);
    assert.equal(tokenOf(15, 104), "token 16 of 104");
    const tokens: TokenTuple[] = Array.from({ length: 104 }, (_, i) => [`w${i}`, "slm", 0.01]);
    // The status line under the trace and the timeline's readout (both tokenOf) name the same token alike.
    assert.match(cursorStatus(tokens, 15, 0.02), /^token 16 of 104 · SLM/);
});

test("the folded strip maps the pointer over the whole answer to a token", () => {
    assert.equal(stripTokenAt(0, 200, 100), 0);
    assert.equal(stripTokenAt(199.9, 200, 100), 99);
    assert.equal(stripTokenAt(100, 200, 600), 300);
    assert.equal(stripTokenAt(-1, 200, 100), undefined);
    assert.equal(stripTokenAt(200, 200, 100), undefined);
    assert.equal(stripTokenAt(10, 0, 100), undefined, "not laid out");
    assert.equal(stripTokenAt(10, 200, 0), undefined);
});

test("the stats' details give every figure of the line with its meaning, then what the line leaves out", () => {
    const d = statsDetails(decoded, "abort");
    const line = statsLine(decoded, "abort").split(" · ");
    assert.deepEqual(d.slice(0, line.length).map((x) => x.text), line);
    assert.ok(d.slice(0, line.length).every((x) => x.meaning.length > 0));
    assert.deepEqual(d.slice(line.length).map((x) => x.key), ["wall", "prefill", "prompt"]);
    assert.equal(d.find((x) => x.key === "wall")!.text, "3.00 s of decoding");
    assert.match(d.find((x) => x.key === "prompt")!.text, /prompt 40 tokens, of which read this turn: SLM 40, LLM 40/);
});
