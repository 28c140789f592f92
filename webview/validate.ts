/**
 * The webview's boundary: every message from the host is checked against src/protocol.ts before the
 * view touches it. A malformed one is refused with a reason (the caller logs it and drops it), so a
 * bad message can never throw inside the renderer or leave the view half-updated. Pure, unit-tested.
 */
import { bool, FieldError, list, num, obj, oneOf, str, type Obj } from "../src/field-checks.ts";
import { currentModeName, MODES } from "../src/modes.ts";
import type { HostStatus, HostToWebview, Mode, Source, StitchStats, StopReason, TokenTuple, Turn, TurnSwitch } from "../src/protocol.ts";

export type Checked = { ok: true; msg: HostToWebview } | { ok: false; reason: string };


// All the table's modes: a trace written by the CLI (any mode) can be opened in the view; a former
// mode's name (a saved view or an old trace) reads as the mode that replaced it.
const SOURCES: readonly Source[] = ["slm", "llm"];
const STOP_REASONS: readonly StopReason[] = ["eog", "stopTrigger", "budget", "abort"];
const HOST_STATES: readonly HostStatus["state"][] = ["idle", "loading", "running"];
const TURN_STATES: readonly Turn["state"][] = ["running", "done", "error"];
const TURN_KINDS: readonly Turn["kind"][] = ["solve", "explain"];
const LEVELS = ["info", "warning", "error"] as const;

function optional<T>(v: unknown, check: (v: unknown) => T): T | undefined {
    return v === undefined ? undefined : check(v);
}

function tokens(v: unknown, what: string): TokenTuple[] {
    return list(v, what).map((t, i) => {
        const tuple = list(t, `${what}[${i}]`);
        if (tuple.length !== 3 && tuple.length !== 4) throw new FieldError(`${what}[${i}] is not [text, source, entropy] or [text, source, entropy, handover]`);
        const checked: TokenTuple = [str(tuple[0], `${what}[${i}] text`), oneOf(tuple[1], SOURCES, `${what}[${i}] source`), num(tuple[2], `${what}[${i}] entropy`)];
        if (tuple.length === 4) checked.push(num(tuple[3], `${what}[${i}] handover entropy`));
        return checked;
    });
}

function switches(v: unknown, what: string): TurnSwitch[] {
    return list(v, what).map((s, i) => {
        const o = obj(s, `${what}[${i}]`);
        return { index: num(o.index, `${what}[${i}].index`), from: oneOf(o.from, SOURCES, `${what}[${i}].from`), to: oneOf(o.to, SOURCES, `${what}[${i}].to`), entropy: num(o.entropy, `${what}[${i}].entropy`) };
    });
}

function modelStats(v: unknown, what: string): StitchStats["slm"] {
    const o = obj(v, what);
    return { tokens: num(o.tokens, `${what}.tokens`), prefillTokens: num(o.prefillTokens, `${what}.prefillTokens`), wallMs: num(o.wallMs, `${what}.wallMs`), calls: num(o.calls, `${what}.calls`) };
}

function stats(v: unknown): StitchStats {
    const o = obj(v, "stats");
    const s: StitchStats = {
        mode: oneOf(currentModeName(o.mode), MODES, "stats.mode"),
        threshold: num(o.threshold, "stats.threshold"),
        slm: modelStats(o.slm, "stats.slm"),
        llm: modelStats(o.llm, "stats.llm"),
        totalTokens: num(o.totalTokens, "stats.totalTokens"),
        switches: num(o.switches, "stats.switches"),
        discardedSlmTokens: num(o.discardedSlmTokens, "stats.discardedSlmTokens"),
        llmShare: num(o.llmShare, "stats.llmShare"),
        wallMs: num(o.wallMs, "stats.wallMs"),
        tokensPerSecond: num(o.tokensPerSecond, "stats.tokensPerSecond"),
    };
    if (o.draft !== undefined) {
        const d = obj(o.draft, "stats.draft");
        s.draft = { proposed: num(d.proposed, "stats.draft.proposed"), accepted: num(d.accepted, "stats.draft.accepted") };
    }
    return s;
}

function status(v: unknown): HostStatus {
    const o = obj(v, "status");
    return {
        state: oneOf(o.state, HOST_STATES, "status.state"),
        models: str(o.models, "status.models"),
        lastTokensPerSecond: optional(o.lastTokensPerSecond, (x) => num(x, "status.lastTokensPerSecond")),
        problem: optional(o.problem, (x) => str(x, "status.problem")),
    };
}

function turn(v: unknown, what: string): Turn {
    const o = obj(v, what);
    const t: Turn = {
        id: str(o.id, `${what}.id`),
        kind: oneOf(o.kind, TURN_KINDS, `${what}.kind`),
        prompt: str(o.prompt, `${what}.prompt`),
        label: optional(o.label, (x) => str(x, `${what}.label`)),
        mode: oneOf(currentModeName(o.mode), MODES, `${what}.mode`),
        threshold: num(o.threshold, `${what}.threshold`),
        models: str(o.models, `${what}.models`),
        tokens: tokens(o.tokens, `${what}.tokens`),
        state: oneOf(o.state, TURN_STATES, `${what}.state`),
    };
    if (o.answer !== undefined) t.answer = o.answer === null ? null : str(o.answer, `${what}.answer`);
    if (o.stopReason !== undefined) t.stopReason = oneOf(o.stopReason, STOP_REASONS, `${what}.stopReason`);
    if (o.stats !== undefined) t.stats = stats(o.stats);
    if (o.error !== undefined) t.error = str(o.error, `${what}.error`);
    if (o.switches !== undefined) t.switches = switches(o.switches, `${what}.switches`);
    if (o.openedFrom !== undefined) t.openedFrom = str(o.openedFrom, `${what}.openedFrom`);
    return t;
}

/** Rebuilds the message from checked fields only, so nothing unexpected rides along. */
function rebuild(m: Obj): HostToWebview {
    switch (m.type) {
        case "init":
            return { type: "init", turns: list(m.turns, "turns").map((t, i) => turn(t, `turns[${i}]`)), status: status(m.status) };
        case "status":
            return { type: "status", status: status(m.status) };
        case "turnStart":
            return { type: "turnStart", turn: turn(m.turn, "turn") };
        case "tokens":
            return {
                type: "tokens",
                turnId: str(m.turnId, "turnId"),
                tokens: tokens(m.tokens, "tokens"),
                ...(m.switches !== undefined ? { switches: switches(m.switches, "switches") } : {}),
            };
        case "turnDone":
            return {
                type: "turnDone",
                turnId: str(m.turnId, "turnId"),
                answer: m.answer === null ? null : str(m.answer, "answer"),
                stopReason: oneOf(m.stopReason, STOP_REASONS, "stopReason"),
                stats: stats(m.stats),
            };
        case "turnError":
            return { type: "turnError", turnId: str(m.turnId, "turnId"), message: str(m.message, "message") };
        case "restorePrompt":
            return { type: "restorePrompt", text: str(m.text, "text") };
        case "notice":
            return { type: "notice", level: oneOf(m.level, LEVELS, "level"), message: str(m.message, "message") };
        case "cleared":
            return { type: "cleared", undoable: optional(m.undoable, (x) => bool(x, "undoable")) };
        case "noticeCleared":
            return { type: "noticeCleared" };
        case "focusInput":
            return { type: "focusInput" };
        default:
            throw new FieldError(`unknown message type ${JSON.stringify(String(m.type)).slice(0, 40)}`);
    }
}

export function checkHostMessage(data: unknown): Checked {
    try {
        return { ok: true, msg: rebuild(obj(data, "message")) };
    } catch (e) {
        // FieldError is expected; anything else (a hostile getter, a stack overflow) is refused the same way.
        return { ok: false, reason: e instanceof FieldError ? e.message : `unreadable message (${e instanceof Error ? e.name : typeof e})` };
    }
}

/** A short, safe description of a refused message for the log. */
export function describeRefused(data: unknown, reason: string): string {
    let type = "?";
    try {
        const t = (data as Obj | null)?.type;
        if (typeof t === "string") type = t.slice(0, 40);
    } catch {
        // unreadable: keep "?"
    }
    return `R-Stitch view: dropped a malformed "${type}" message from the host: ${reason}`;
}

/** The turns of a saved state (`vscode.getState`), keeping only the well-formed ones. */
export function savedTurns(v: unknown): Turn[] {
    if (!Array.isArray(v)) return [];
    const out: Turn[] = [];
    for (const t of v) {
        try {
            out.push(turn(t, "saved turn"));
        } catch {
            // A damaged saved turn is skipped; the host's `init` brings the real conversation anyway.
        }
    }
    return out;
}
