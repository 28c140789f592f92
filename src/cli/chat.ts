/**
 * `rstitch chat`: a conversation on the command line. One question per line (standard input, or a
 * prompt at a terminal); each is answered with the conversation so far, and the models keep what
 * they read between turns, so a follow-up evaluates only its new text.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { DEFAULT_BUDGET, DEFAULT_MODE, DEFAULT_THRESHOLD, leftOutNote, replyOf, splitAnswer, withoutOldestTurns, type ChatMessage, type ModelPair, type TokenEvent } from "../stitch/index.ts";
import { makeTrace, traceJson, type TraceSwitch } from "../trace.ts";
import { openPair, usesDemoPair } from "./models.ts";
import { routingValues, ROUTING_OPTIONS } from "./calibration-option.ts";
import { DECODE_OPTIONS, decodeValues, MODEL_OPTIONS, parse } from "./options.ts";
import { legend, paint, useColour } from "./paint.ts";
import { statsLine, type Io } from "./solve.ts";
import { HELP, UsageError } from "./usage.ts";

/** `--trace-dir DIR`: an existing (or creatable) folder, checked before the models load. */
function traceDir(raw: string | undefined): string | undefined {
    if (raw === undefined) return undefined;
    if (!raw.trim()) throw new UsageError("--trace-dir needs a folder, e.g. rstitch chat --trace-dir traces");
    const dir = resolve(raw);
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`--trace-dir ${raw} is a file, not a folder.`);
    try {
        mkdirSync(dir, { recursive: true });
    } catch (e) {
        throw new UsageError(`--trace-dir ${raw}: the folder cannot be created (${(e as Error).message}).`);
    }
    return dir;
}

function pairName(pair: ModelPair): string {
    const d = pair.describe();
    return `${d.slm.name} + ${pair.remoteLlm?.name ?? d.llm.name}`;
}

/** The questions, one per line: from a pipe as they come, at a terminal after a prompt. */
async function* questions(io: Io): AsyncGenerator<string> {
    const terminal = io.stdin.isTTY === true;
    const lines = createInterface({ input: io.stdin, output: terminal ? io.stderr : undefined, terminal });
    const read = lines[Symbol.asyncIterator]();
    try {
        if (terminal) lines.setPrompt("› ");
        for (;;) {
            if (terminal) lines.prompt();
            const next = await read.next();
            if (next.done || io.signal.aborted) return;
            const question = (next.value as string).trim();
            if (question) yield question;
        }
    } finally {
        lines.close();
    }
}

export async function chatCommand(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parse(args, { ...MODEL_OPTIONS, ...DECODE_OPTIONS, ...ROUTING_OPTIONS, "trace-dir": { type: "string" }, "no-reuse": { type: "boolean" } }, true, {
        "trace-dir": "a folder after it, e.g. --trace-dir traces",
    });
    if (values.help) {
        io.stdout.write(HELP + "\n");
        return 0;
    }
    if (positionals.length) throw new UsageError(`rstitch chat reads its questions from standard input, one per line (got "${positionals.join(" ")}"); for one question use rstitch solve.`);
    const decode = { ...decodeValues(values), ...routingValues(values) };
    const dir = traceDir(values["trace-dir"]);
    if (usesDemoPair(values)) io.stderr.write("rstitch: note: the embedded demo models only solve single arithmetic questions; a follow-up shows the conversation's mechanics, not a meaningful answer.\n");

    const pair = await openPair(values);
    const colour = !values.json && useColour(io.stdout);
    if (colour) io.stderr.write(legend(true) + "\n");
    const history: ChatMessage[] = [];
    let failed = false;
    let turn = 0;
    try {
        for await (const question of questions(io)) {
            turn++;
            const tokens: Omit<TokenEvent, "type" | "index">[] = [];
            const switches: TraceSwitch[] = [];
            for await (const e of pair.solve({ prompt: question, history, ...decode, reuse: !values["no-reuse"], signal: io.signal })) {
                if (e.type === "switch") {
                    switches.push({ index: e.index, from: e.from, to: e.to, entropy: e.entropy, ...(e.reason ? { reason: e.reason } : {}) });
                } else if (e.type === "token") {
                    tokens.push({ id: e.id, text: e.text, source: e.source, entropy: e.entropy });
                    if (!values.json) io.stdout.write(paint(e.text, e.source, colour));
                } else if (e.type === "error") {
                    // The question stays out of the conversation: the next one is asked without it.
                    if (values.json) io.stdout.write(JSON.stringify({ error: e.message, text: tokens.map((t) => t.text).join(""), tokens }) + "\n");
                    else if (tokens.length) io.stdout.write("\n");
                    io.stderr.write(`rstitch: turn ${turn}: ${e.message}\n`);
                    failed = true;
                } else if (e.type === "done") {
                    const prompt = e.stats.prompt!;
                    // The conversation as the models were given it: without the turns left out, ending with this question.
                    const messages: ChatMessage[] = [...withoutOldestTurns(history, prompt.turnsLeftOut), { role: "user", text: question }];
                    const { answer } = splitAnswer(e.text);
                    const note = leftOutNote(prompt);
                    if (dir) {
                        const file = join(dir, `turn-${String(turn).padStart(3, "0")}.trace.json`);
                        const trace = makeTrace({
                            prompt: question, messages, models: pairName(pair), mode: decode.mode ?? DEFAULT_MODE,
                            threshold: decode.threshold ?? (decode.calibration ? e.stats.threshold : DEFAULT_THRESHOLD), budget: decode.budget ?? DEFAULT_BUDGET,
                            tokens, switches, stats: e.stats, answer, stopReason: e.stopReason,
                        });
                        try {
                            writeFileSync(file, traceJson(trace));
                        } catch (err) {
                            io.stderr.write(`rstitch: could not write the trace ${file}: ${(err as Error).message}\n`);
                            return 1;
                        }
                    }
                    if (values.json) {
                        io.stdout.write(JSON.stringify({
                            text: e.text, answer, tokens, stopReason: e.stopReason, stats: e.stats,
                            messages, promptTokens: prompt.tokens, prefill: prompt.prefill,
                            ...(note ? { turnsLeftOut: prompt.turnsLeftOut, note } : {}),
                        }) + "\n");
                    } else {
                        const read = `prompt ${prompt.tokens} tokens, read SLM ${prompt.prefill.slm} · LLM ${prompt.prefill.llm}`;
                        io.stdout.write(`${e.text.endsWith("\n") ? "" : "\n"}\n${statsLine(e.stats, e.stopReason)} · ${read}${note ? ` · ${note}` : ""}\n\n`);
                    }
                    if (e.stopReason === "abort") return 130;
                    history.push({ role: "user", text: question }, { role: "assistant", text: replyOf(e.text) });
                }
            }
        }
        return failed ? 1 : 0;
    } finally {
        await pair.dispose();
    }
}
