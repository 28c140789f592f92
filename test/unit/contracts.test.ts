/**
 * The contracts declared once (src/schema.ts): the wire messages (src/protocol.ts), the trace file
 * (src/trace.ts) and the shapes they share with the decoder (src/stitch/events.ts). Each check is
 * derived from its declaration, so these tests walk the declarations themselves: a valid value passes
 * unchanged, and every declared field, made wrong, is refused with a message naming it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ERROR_CODES, isErrorCode } from "../../src/error-codes.ts";
import { checkViewMessage } from "../../src/extension/view-message.ts";
import { hostToWebviewSchema, turnSchema, webviewToHostSchema, type Turn } from "../../src/protocol.ts";
import { FieldError, parse, type Schema, type Shape } from "../../src/schema.ts";
import { handOverSchema, stitchStatsSchema, type StitchStats } from "../../src/stitch/events.ts";
import { traceSchema, traceTokenSchema, type Trace } from "../../src/trace.ts";
import { checkHostMessage } from "../../webview/validate.ts";

const stats: StitchStats = {
    mode: "stitch", threshold: 0.1,
    slm: { tokens: 3, prefillTokens: 4, calls: 3, wallMs: 3 }, llm: { tokens: 1, prefillTokens: 4, calls: 2, wallMs: 5 },
    totalTokens: 4, switches: 2, discardedSlmTokens: 0, llmShare: 0.25, wallMs: 10, tokensPerSecond: 400,
    remote: { requests: 2, firstTokenMs: 12.5, unreported: 1 },
    draft: { proposed: 4, accepted: 3, llmPasses: 2 },
};
const switches = [{ index: 1, from: "slm", to: "llm", entropy: 0.4 }, { index: 2, from: "llm", to: "slm", entropy: 0.01 }] as const;
const turn: Turn = {
    id: "a", kind: "solve", prompt: "q", label: "Explain selection", mode: "stitch", threshold: 0.1, models: "s + l",
    tokens: [["x", "slm", 0.1], ["y", "llm", 0.2, 0.4], ["z", "slm", 0, 0.01]], state: "done", answer: null, stopReason: "eog",
    stats, error: "e", switches: [...switches], budget: 64, openedFrom: "t.json", askedIn: "vscode-chat", demoNote: "The embedded demo models only solve …",
};
const status = { state: "idle", models: "s + l", lastTokensPerSecond: 3, llmRemote: "http://gpu:8080", problem: "SLM file missing", pair: "demo pair", demo: true };
const trace: Trace = {
    format: "rstitch-trace", version: 1, prompt: "q", label: "l", models: "s + l", mode: "stitch", threshold: 0.1, budget: 64,
    tokens: [{ id: 1, text: "x", source: "slm", entropy: 0.1 }, { id: 2, text: "y", source: "llm", entropy: 0.2 }, { id: 3, text: "z", source: "slm", entropy: 0 }],
    switches: [...switches], stats, answer: "5", stopReason: "eog",
};
/** One valid message per case, every optional field set. */
const HOST_MESSAGES: Record<keyof typeof hostToWebviewSchema.cases, object> = {
    init: { turns: [turn], status },
    status: { status },
    turnStart: { turn },
    tokens: { turnId: "a", tokens: turn.tokens, switches: [...switches] },
    turnDone: { turnId: "a", answer: "5", stopReason: "eog", stats, demoNote: "The embedded demo models only solve …" },
    turnError: { turnId: "a", message: "boom" },
    restorePrompt: { text: "again" },
    notice: { level: "warning", message: "busy" },
    cleared: { undoable: true },
    noticeCleared: {},
    focusInput: {},
    revealTurn: { turnId: "a" },
    undoOffer: { action: "resend", message: "1 turn replaced" },
};
const VIEW_MESSAGES: Record<keyof typeof webviewToHostSchema.cases, object> = {
    ready: {}, send: { prompt: "q" }, stop: {}, clear: {}, undoClear: {}, copy: { turnId: "a", part: "all" },
    exportTrace: { turnId: "a" }, chooseModels: {}, downloadModels: {}, showLog: {}, viewProblem: { message: "m" },
    openLink: { url: "https://example.com/" }, codeAction: { action: "insert", code: "x = 1", language: "python" },
    newChat: {}, showChats: {}, regenerate: { turnId: "a" }, resend: { turnId: "a", prompt: "q" }, undoResend: {},
};

/** A value no declared field accepts: not a string, number, list, enum member or whole object. */
const WRONG = { bogus: 1 };

function refusal(s: Schema<unknown>, v: unknown, name: string): string {
    try {
        parse(s, v, name);
    } catch (e) {
        assert.ok(e instanceof FieldError, `threw ${String(e)}`);
        return e.message;
    }
    assert.fail(`accepted ${JSON.stringify(v).slice(0, 200)}`);
}

/**
 * Every field of `shape`, made wrong in turn in `valid` (placed by `wrap`, for a nested value), is
 * refused by `s` with a message naming `prefix + field` (format and version say it in quotes).
 */
function eachFieldRefused(s: Schema<unknown>, shape: Shape, valid: object, prefix: string, name: string, wrap = (v: object) => v): void {
    for (const key of Object.keys(shape)) {
        const reason = refusal(s, wrap({ ...valid, [key]: WRONG }), name);
        const named = reason.startsWith(`${prefix}${key}`) && /^[ .[]/.test(reason.slice(`${prefix}${key}`.length));
        assert.ok(named || reason.includes(`"${key}"`), `${prefix}${key}: ${reason}`);
    }
}

test("valid messages, turns, stats and traces pass their checks unchanged", () => {
    for (const [type, body] of Object.entries(HOST_MESSAGES)) {
        const c = checkHostMessage({ type, ...body });
        assert.ok(c.ok, `${type}: ${c.ok ? "" : c.reason}`);
        assert.deepEqual(c.msg, { type, ...body });
    }
    for (const [type, body] of Object.entries(VIEW_MESSAGES)) assert.deepEqual(checkViewMessage({ type, ...body }), { type, ...body });
    assert.deepEqual(parse(traceSchema, trace, "the file"), trace);
    assert.deepEqual(parse(turnSchema, turn, "turn"), turn);
    // A token whose entropy the mode does not measure (-1, speculative decoding) still reaches the view.
    assert.ok(checkHostMessage({ type: "tokens", turnId: "a", tokens: [["x", "llm", -1]] }).ok);
});

test("every declared field of every message, made wrong, is refused with a message naming it", () => {
    for (const [type, body] of Object.entries(HOST_MESSAGES)) {
        const shape = hostToWebviewSchema.cases[type as keyof typeof HOST_MESSAGES];
        eachFieldRefused(hostToWebviewSchema, shape, { type, ...body }, "", "message");
    }
    for (const [type, body] of Object.entries(VIEW_MESSAGES)) {
        const shape = webviewToHostSchema.cases[type as keyof typeof VIEW_MESSAGES];
        for (const key of Object.keys(shape)) {
            const m = checkViewMessage({ type, ...body, [key]: WRONG });
            assert.equal(m.type, "viewProblem");
            assert.match((m as { message: string }).message, new RegExp(`malformed message from the view: ${key} is not`));
        }
    }
    assert.match(refusal(hostToWebviewSchema, { type: "explode" }, "message"), /^unknown message type "explode"/);
    assert.equal(checkViewMessage("ready").type, "viewProblem");
});

test("every field of a turn, its stats, the trace and a switch is refused by name, nested ones with their path", () => {
    eachFieldRefused(turnSchema, turnSchema.shape, turn, "", "saved turn");
    eachFieldRefused(hostToWebviewSchema, turnSchema.shape, turn, "turn.", "message", (t) => ({ type: "turnStart", turn: t }));
    eachFieldRefused(hostToWebviewSchema, turnSchema.shape, turn, "turns[0].", "message", (t) => ({ type: "init", turns: [t], status }));
    eachFieldRefused(hostToWebviewSchema, stitchStatsSchema.shape, stats, "stats.", "message", (s) => ({ ...HOST_MESSAGES.turnDone, type: "turnDone", stats: s }));
    eachFieldRefused(traceSchema, stitchStatsSchema.shape, stats, "stats.", "the file", (s) => ({ ...trace, stats: s }));
    for (const part of ["slm", "llm", "remote", "draft"] as const) {
        for (const key of Object.keys(stats[part]!)) {
            const reason = refusal(stitchStatsSchema, { ...stats, [part]: { ...stats[part], [key]: WRONG } }, "stats");
            assert.match(reason, new RegExp(`^${part}\\.${key} is not`));
        }
    }
    eachFieldRefused(traceSchema, traceSchema.shape, trace, "", "the file");
    eachFieldRefused(traceSchema, traceTokenSchema.shape, trace.tokens[1]!, "tokens[1].", "the file", (t) => ({ ...trace, tokens: [trace.tokens[0], t] }));
    eachFieldRefused(traceSchema, handOverSchema.shape, switches[0], "switches[0].", "the file", (s) => ({ ...trace, switches: [s] }));
    // The tuple's entries are named by their label.
    assert.match(refusal(turnSchema, { ...turn, tokens: [["x", "slm", 0.1, "high"]] }, "turn"), /^tokens\[0\] handover entropy is not a number/);
});

test("the webview and the trace check stats, switches and entropies with one and the same declaration", () => {
    const turnDone = hostToWebviewSchema.cases.turnDone;
    assert.equal(turnDone.stats, stitchStatsSchema);
    assert.equal(traceSchema.shape.stats, stitchStatsSchema);
    assert.equal(turnSchema.shape.stats.check, stitchStatsSchema.check);
    assert.equal(traceSchema.shape.switches.of, handOverSchema);
    assert.equal(hostToWebviewSchema.cases.tokens.switches.check, turnSchema.shape.switches.check);
    // What used to drift: remote counters and llmPasses reach the view as they reach the trace.
    const viaView = checkHostMessage({ type: "turnDone", ...HOST_MESSAGES.turnDone });
    assert.ok(viaView.ok && viaView.msg.type === "turnDone");
    assert.deepEqual(viaView.msg.stats, parse(traceSchema, trace, "the file").stats);
    assert.deepEqual(viaView.msg.stats.remote, stats.remote);
    assert.equal(viaView.msg.stats.draft?.llmPasses, 2);
    // And so does the switch rule: a hand-over to the same model is refused on both sides.
    const self = { ...switches[0], to: "slm" };
    assert.match(refusal(hostToWebviewSchema, { type: "tokens", turnId: "a", tokens: [], switches: [self] }, "message"), /^switches\[0\] hands over from slm to itself/);
    assert.match(refusal(traceSchema, { ...trace, switches: [self] }, "the file"), /^switches\[0\] hands over from slm to itself/);
});

test("error codes come from one record: each family's codes are recognised, nothing else is", () => {
    for (const [family, codes] of Object.entries(ERROR_CODES)) {
        for (const [code, meaning] of Object.entries(codes)) {
            assert.ok(isErrorCode(family as keyof typeof ERROR_CODES, code), `${family}.${code}`);
            assert.ok(meaning.length > 10, `${family}.${code} says what it means`);
        }
    }
    assert.equal(isErrorCode("pair", "prompt-too-long"), false);
    assert.equal(isErrorCode("pair", "toString"), false);
    assert.equal(isErrorCode("remote", 3), false);
});
