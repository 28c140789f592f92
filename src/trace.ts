/**
 * The trace file: one answer, token by token, as JSON — written by "Export Trace…" in the extension
 * and by `rstitch solve --trace FILE`, read back by "Open Trace…". One schema for both sides (no
 * `vscode` import here). A trace file is untrusted input: `parseTrace` checks every field and says in
 * one short line what is wrong; it never throws.
 */
import { FieldError, int, list, num, obj, oneOf, str } from "./field-checks.ts";
import { currentModeName, MODES } from "./modes.ts";
import type { Mode, Source, StitchStats, StopReason } from "./stitch/events.ts";

export const TRACE_FORMAT = "rstitch-trace";
export const TRACE_VERSION = 1;
/** Larger files are refused before they are read: a trace of the largest budget (100 000 tokens) is far smaller. */
export const MAX_TRACE_BYTES = 32 * 1024 * 1024;
const MAX_TOKENS = 200_000;

export interface TraceToken {
    /** The token's id in the pair's (shared) vocabulary. */
    id: number;
    text: string;
    source: Source;
    /** Normalised entropy H in [0, 1] of the model that wrote the token, at its position. */
    entropy: number;
}

export interface TraceSwitch {
    /** Output position at which `to` takes over. */
    index: number;
    from: Source;
    to: Source;
    /** The entropy that triggered the hand-over. */
    entropy: number;
}

export interface Trace {
    format: typeof TRACE_FORMAT;
    version: typeof TRACE_VERSION;
    prompt: string;
    /** A short heading (e.g. "Explain selection · util.ts"), when the answer had one. */
    label?: string;
    /** "demo-slm + demo-llm": the pair that answered. */
    models: string;
    mode: Mode;
    threshold: number;
    budget: number;
    tokens: TraceToken[];
    switches: TraceSwitch[];
    stats: StitchStats;
    answer: string | null;
    stopReason: StopReason;
}

export type TraceInput = Omit<Trace, "format" | "version">;

/** Every mode of the table; a trace naming a former mode reads as the mode that replaced it (currentModeName). */
export const TRACE_MODES: readonly Mode[] = MODES;
const SOURCES: readonly Source[] = ["slm", "llm"];
const STOP_REASONS: readonly StopReason[] = ["eog", "stopTrigger", "budget", "abort"];

export function makeTrace(input: TraceInput): Trace {
    return { format: TRACE_FORMAT, version: TRACE_VERSION, ...input };
}

/**
 * The file's text: readable JSON with one token (and one switch) per line, so a 500-token trace stays
 * a file one can scroll through and diff.
 */
export function traceJson(trace: Trace): string {
    const { tokens, switches, ...head } = trace;
    const headLines = Object.entries(head).filter(([, v]) => v !== undefined).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
    const list = (name: string, items: readonly object[]) =>
        items.length === 0 ? `  ${JSON.stringify(name)}: []` : `  ${JSON.stringify(name)}: [\n${items.map((t) => `    ${JSON.stringify(t)}`).join(",\n")}\n  ]`;
    return `{\n${[...headLines, list("switches", switches), list("tokens", tokens)].join(",\n")}\n}\n`;
}

export type ParsedTrace = { ok: true; trace: Trace } | { ok: false; reason: string };

function token(v: unknown, what: string): TraceToken {
    const o = obj(v, what);
    return { id: int(o.id, `${what}.id`), text: str(o.text, `${what}.text`), source: oneOf(o.source, SOURCES, `${what}.source`), entropy: num(o.entropy, `${what}.entropy`, 0, 1) };
}

function switchOf(v: unknown, what: string, tokens: number, previous: TraceSwitch | undefined): TraceSwitch {
    const o = obj(v, what);
    const s: TraceSwitch = {
        index: int(o.index, `${what}.index`, 0, tokens),
        from: oneOf(o.from, SOURCES, `${what}.from`),
        to: oneOf(o.to, SOURCES, `${what}.to`),
        entropy: num(o.entropy, `${what}.entropy`, 0, 1),
    };
    if (s.from === s.to) throw new FieldError(`${what} hands over from ${s.from} to itself`);
    if (previous && s.index < previous.index) throw new FieldError(`${what}.index ${s.index} comes before the switch above it (${previous.index})`);
    return s;
}

function modelStats(v: unknown, what: string): StitchStats["slm"] {
    const o = obj(v, what);
    return { tokens: int(o.tokens, `${what}.tokens`), prefillTokens: int(o.prefillTokens, `${what}.prefillTokens`), wallMs: num(o.wallMs, `${what}.wallMs`, 0), calls: int(o.calls, `${what}.calls`) };
}

function stats(v: unknown): StitchStats {
    const o = obj(v, "stats");
    const s: StitchStats = {
        mode: oneOf(currentModeName(o.mode), TRACE_MODES, "stats.mode"),
        threshold: num(o.threshold, "stats.threshold", 0, 1),
        slm: modelStats(o.slm, "stats.slm"),
        llm: modelStats(o.llm, "stats.llm"),
        totalTokens: int(o.totalTokens, "stats.totalTokens"),
        switches: int(o.switches, "stats.switches"),
        discardedSlmTokens: int(o.discardedSlmTokens, "stats.discardedSlmTokens"),
        llmShare: num(o.llmShare, "stats.llmShare", 0, 1),
        wallMs: num(o.wallMs, "stats.wallMs", 0),
        tokensPerSecond: num(o.tokensPerSecond, "stats.tokensPerSecond", 0),
    };
    if (o.remote !== undefined) {
        const r = obj(o.remote, "stats.remote");
        s.remote = { requests: int(r.requests, "stats.remote.requests"), firstTokenMs: num(r.firstTokenMs, "stats.remote.firstTokenMs", 0), unreported: int(r.unreported, "stats.remote.unreported") };
    }
    if (o.draft !== undefined) {
        const d = obj(o.draft, "stats.draft");
        s.draft = { proposed: int(d.proposed, "stats.draft.proposed"), accepted: int(d.accepted, "stats.draft.accepted") };
        if (d.llmPasses !== undefined) s.draft.llmPasses = int(d.llmPasses, "stats.draft.llmPasses");
    }
    return s;
}

/** Rebuilds the trace from checked fields only: nothing unexpected rides along into the view. */
function check(v: unknown): Trace {
    const o = obj(v, "the file");
    if (o.format !== TRACE_FORMAT) throw new FieldError(`it is not an R-Stitch trace ("format" is not "${TRACE_FORMAT}")`);
    if (o.version !== TRACE_VERSION) {
        const newer = typeof o.version === "number" && o.version > TRACE_VERSION;
        throw new FieldError(newer ? `it is a version ${o.version} trace; this R-Stitch reads version ${TRACE_VERSION} (update R-Stitch)` : `"version" is not ${TRACE_VERSION}`);
    }
    const tokens = list(o.tokens, "tokens", MAX_TOKENS).map((t, i) => token(t, `tokens[${i}]`));
    const switches: TraceSwitch[] = [];
    list(o.switches, "switches", MAX_TOKENS * 2).forEach((s, i) => switches.push(switchOf(s, `switches[${i}]`, tokens.length, switches.at(-1))));
    const t: Trace = {
        format: TRACE_FORMAT,
        version: TRACE_VERSION,
        prompt: str(o.prompt, "prompt"),
        models: str(o.models, "models"),
        mode: oneOf(currentModeName(o.mode), TRACE_MODES, "mode"),
        threshold: num(o.threshold, "threshold", 0, 1),
        budget: int(o.budget, "budget", 1),
        tokens,
        switches,
        stats: stats(o.stats),
        answer: o.answer === null ? null : str(o.answer, "answer"),
        stopReason: oneOf(o.stopReason, STOP_REASONS, "stopReason"),
    };
    if (o.label !== undefined) t.label = str(o.label, "label");
    return t;
}

/** Reads a trace file's text. */
export function parseTrace(text: string): ParsedTrace {
    if (text.length > MAX_TRACE_BYTES) return { ok: false, reason: `it is larger than ${MAX_TRACE_BYTES / 1024 / 1024} MiB` };
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch (e) {
        return { ok: false, reason: `it is not JSON (${e instanceof Error ? e.message.slice(0, 120) : "unreadable"})` };
    }
    try {
        return { ok: true, trace: check(data) };
    } catch (e) {
        // FieldError is expected; anything else (a stack overflow on absurd nesting) is refused the same way.
        return { ok: false, reason: e instanceof FieldError ? e.message : `it cannot be read (${e instanceof Error ? e.name : typeof e})` };
    }
}
