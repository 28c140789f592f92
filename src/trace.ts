/**
 * The trace file: one answer, token by token, as JSON — written by "Export Trace…" in the extension
 * and by `rstitch solve --trace FILE`, read back by "Open Trace…". One schema for both sides (no
 * `vscode` import here). A trace file is untrusted input: `parseTrace` checks every field and says in
 * one short line what is wrong; it never throws.
 */
import { chatMessageSchema, handOverSchema, modeSchema, sourceSchema, stitchStatsSchema, stopReasonSchema, entropySchema, type HandOver } from "./stitch/events.ts";
import { FieldError, integer, list, literal, nullable, number, object, optional, parse, refine, string, type Infer } from "./schema.ts";

export const TRACE_FORMAT = "rstitch-trace";
export const TRACE_VERSION = 1;
/** Larger files are refused before they are read: a trace of the largest budget (100 000 tokens) is far smaller. */
export const MAX_TRACE_BYTES = 32 * 1024 * 1024;
const MAX_TOKENS = 200_000;
const MAX_MESSAGES = 10_000;

export const traceTokenSchema = object({
    /** The token's id in the pair's (shared) vocabulary. */
    id: integer(),
    text: string,
    source: sourceSchema,
    /** Normalised entropy H in [0, 1] of the model that wrote the token, at its position. */
    entropy: entropySchema,
});
export interface TraceToken extends Infer<typeof traceTokenSchema> {}

/** A hand-over in the trace: the decoder's switch shape (`index`: the output position at which `to` takes over). */
export type TraceSwitch = HandOver;

/** The file, checked field by field in this order: format and version first, so another file says so. */
export const traceSchema = refine(
    object({
        format: literal(TRACE_FORMAT, () => `it is not an R-Stitch trace ("format" is not "${TRACE_FORMAT}")`),
        version: literal(TRACE_VERSION, (v) =>
            typeof v === "number" && v > TRACE_VERSION ? `it is a version ${v} trace; this R-Stitch reads version ${TRACE_VERSION} (update R-Stitch)` : `"version" is not ${TRACE_VERSION}`,
        ),
        prompt: string,
        /**
         * The conversation the answer was given, oldest first, ending with `prompt` (earlier answers
         * without their thinking); absent in traces of a single question and those written before.
         */
        messages: optional(list(chatMessageSchema, MAX_MESSAGES)),
        /** A short heading (e.g. "Explain selection · util.ts"), when the answer had one. */
        label: optional(string),
        /** "demo-slm + demo-llm": the pair that answered. */
        models: string,
        mode: modeSchema,
        threshold: number(0, 1),
        budget: integer(1),
        tokens: list(traceTokenSchema, MAX_TOKENS),
        switches: list(handOverSchema, MAX_TOKENS * 2),
        stats: stitchStatsSchema,
        answer: nullable(string),
        stopReason: stopReasonSchema,
    }),
    // Each switch falls inside the output, in order.
    (t, at) => {
        for (let i = 0; i < t.switches.length; i++) {
            const s = t.switches[i]!, what = `${at.prefix}switches[${i}].index`;
            if (s.index > t.tokens.length) return `${what} is ${s.index}, outside 0–${t.tokens.length}`;
            const previous = t.switches[i - 1];
            if (previous && s.index < previous.index) return `${what} ${s.index} comes before the switch above it (${previous.index})`;
        }
        return undefined;
    },
);
export interface Trace extends Infer<typeof traceSchema> {}

export type TraceInput = Omit<Trace, "format" | "version">;

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
        return { ok: true, trace: parse(traceSchema, data, "the file") };
    } catch (e) {
        // FieldError is expected; anything else (a stack overflow on absurd nesting) is refused the same way.
        return { ok: false, reason: e instanceof FieldError ? e.message : `it cannot be read (${e instanceof Error ? e.name : typeof e})` };
    }
}
