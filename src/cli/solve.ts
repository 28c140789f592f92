/** `rstitch solve`: streams one stitched answer, coloured by model, or prints it as one JSON object. */
import { accessSync, constants, existsSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { demoLimitNote, demoPairFits } from "../models/demo-limits.ts";
import { usesTau } from "../modes.ts";
import { DEFAULT_BUDGET, DEFAULT_MODE, DEFAULT_THRESHOLD, splitAnswer, type ModelPair, type StitchStats, type TokenEvent } from "../stitch/index.ts";
import { makeTrace, traceJson, type TraceSwitch } from "../trace.ts";
import { counted } from "./count.ts";
import { openPair, usesDemoPair } from "./models.ts";
import { routingValues, ROUTING_OPTIONS } from "./calibration-option.ts";
import { DECODE_OPTIONS, decodeValues, MODEL_OPTIONS, parse } from "./options.ts";
import { legend, paint, useColour } from "./paint.ts";
import { HELP, UsageError } from "./usage.ts";

export interface Io {
    stdin: NodeJS.ReadStream;
    stdout: NodeJS.WriteStream;
    stderr: NodeJS.WriteStream;
    signal: AbortSignal;
}

async function readStdin(stdin: NodeJS.ReadStream): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
}

export function statsLine(s: StitchStats, stopReason: string): string {
    // Only where τ routes are there switches and discarded SLM tokens; elsewhere one model writes every
    // token (the speculative modes report their drafts instead).
    const routed = usesTau(s.mode);
    return [
        `${counted(s.totalTokens, "token")}: SLM ${s.slm.tokens}, LLM ${s.llm.tokens} (LLM share ${(s.llmShare * 100).toFixed(1)}%)`,
        ...(routed ? [counted(s.switches, "switch", "switches"), `${counted(s.discardedSlmTokens, "SLM token")} discarded`] : []),
        ...(s.draft ? [`draft ${s.draft.accepted}/${s.draft.proposed} accepted`] : []),
        `${s.tokensPerSecond.toFixed(1)} tokens/s`,
        `${(s.wallMs / 1000).toFixed(2)} s`,
        `mode ${s.mode}${routed ? ` τ=${s.threshold}` : ""}`,
        ...(s.calibration ? [`routing ${s.calibration.routing} (${s.calibration.file}${s.calibration.routing === "threshold" ? "" : `, router kept the SLM at ${s.calibration.stayed} of ${s.calibration.consulted}`})`] : []),
        `stop: ${stopReason}`,
    ].join(" · ");
}

/** What to do instead of asking the demo pair, in the CLI's terms. */
const DEMO_NEXT_STEP = "For real questions, download a recommended pair (rstitch models list, then rstitch models pull PAIR) or pass your own: --slm SMALL.gguf --llm LARGE.gguf.";

const TRACE_EXAMPLE = `rstitch solve --trace answer.trace.json "What is 86 * 79?"`;

/**
 * `--trace FILE` is checked before the models load: a typo in the path should not cost a whole answer,
 * and a forgotten file name must not turn the problem into one.
 */
function tracePath(raw: string | undefined): string | undefined {
    if (raw === undefined) return undefined;
    if (!raw.trim()) throw new UsageError(`--trace needs a file name, e.g. ${TRACE_EXAMPLE}`);
    // Shell wildcards and line breaks are in problems, not in file names (Windows refuses ? and *).
    if (/[?*\r\n]/.test(raw)) throw new UsageError(`--trace "${raw}" looks like the problem, not a file name; put the file name right after --trace: ${TRACE_EXAMPLE}`);
    if (/[\\/]$/.test(raw)) throw new UsageError(`--trace ${raw} is a folder; give a file name inside it.`);
    const file = resolve(raw);
    if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`--trace ${raw} is a folder; give a file name inside it.`);
    const folder = dirname(file);
    if (!existsSync(folder)) throw new UsageError(`--trace ${raw}: the folder ${folder} does not exist; create it or choose another.`);
    if (!statSync(folder).isDirectory()) throw new UsageError(`--trace ${raw}: ${folder} is a file, not a folder.`);
    try {
        accessSync(existsSync(file) ? file : folder, constants.W_OK);
    } catch {
        throw new UsageError(`--trace ${raw}: ${existsSync(file) ? `${file} cannot be written` : `the folder ${folder} cannot be written to`}; choose a file where you can write.`);
    }
    return file;
}

function pairName(pair: ModelPair): string {
    const d = pair.describe();
    return `${d.slm.name} + ${pair.remoteLlm?.name ?? d.llm.name}`;
}

export async function solveCommand(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parse(args, { ...MODEL_OPTIONS, ...DECODE_OPTIONS, ...ROUTING_OPTIONS, trace: { type: "string" } }, true, {
        trace: `a file name after it, e.g. ${TRACE_EXAMPLE}`,
    });
    if (values.help) {
        io.stdout.write(HELP + "\n");
        return 0;
    }
    const decode = { ...decodeValues(values), ...routingValues(values) };
    const traceFile = tracePath(values.trace);
    let prompt = positionals.join(" ");
    // "--trace my problem" without a file name: the problem went to --trace, so say that, not just "empty".
    const tookProblem = values.trace !== undefined && /\s/.test(values.trace.trim()) && !/\.\w+$/.test(values.trace.trim())
        ? ` (--trace took "${values.trace}" as the trace file's name; put the file name right after --trace)` : "";
    if (!prompt) {
        if (io.stdin.isTTY) throw new UsageError(`Give a problem to solve: rstitch solve "What is 47 * 36?" (or pipe it on standard input)${tookProblem}.`);
        prompt = await readStdin(io.stdin);
    }
    prompt = prompt.trim();
    if (!prompt) throw new UsageError(`The problem is empty; give some text to solve${tookProblem}.`);
    const demoFit = usesDemoPair(values) ? demoPairFits("solve", prompt) : { fits: true as const };
    // After the answer (or the error), on stderr: standard output stays the answer alone.
    const noteDemoLimits = (answered: boolean) => {
        if (!demoFit.fits) io.stderr.write(`rstitch: note: ${demoLimitNote(demoFit, answered, DEMO_NEXT_STEP)}\n`);
    };

    const pair = await openPair(values);
    const colour = !values.json && useColour(io.stdout);
    try {
        const tokens: Omit<TokenEvent, "type" | "index">[] = [];
        const switches: TraceSwitch[] = [];
        if (colour) io.stderr.write(legend(true) + "\n");
        const remote = pair.remoteLlm;
        if (remote && !values.json) io.stderr.write(`LLM: remote, ${remote.name} at ${remote.url}\n`);
        let written = 0;
        for await (const e of pair.solve({ prompt, ...decode, signal: io.signal })) {
            if (e.type === "switch") {
                switches.push({ index: e.index, from: e.from, to: e.to, entropy: e.entropy, ...(e.reason ? { reason: e.reason } : {}) });
            } else if (e.type === "token") {
                if (values.json || traceFile) tokens.push({ id: e.id, text: e.text, source: e.source, entropy: e.entropy });
                if (!values.json) io.stdout.write(paint(e.text, e.source, colour));
                written++;
            } else if (e.type === "error") {
                // The answer so far stays: above in text mode, in the JSON object otherwise.
                if (values.json) io.stdout.write(JSON.stringify({ error: e.message, text: tokens.map((t) => t.text).join(""), tokens }) + "\n");
                else if (written > 0) io.stdout.write("\n");
                io.stderr.write(`rstitch: ${e.message}${written > 0 && !values.json ? ` (the ${counted(written, "token")} written before this ${written === 1 ? "is" : "are"} kept above)` : ""}\n`);
                if (traceFile) io.stderr.write(`rstitch: no trace written (the answer did not finish)\n`);
                noteDemoLimits(false);
                return e.code === "prompt-too-long" ? 2 : 1;
            } else if (e.type === "done") {
                // One extraction for the trace and --json, so the two always agree.
                const { answer } = splitAnswer(e.text);
                if (traceFile) {
                    const trace = makeTrace({
                        prompt,
                        models: pairName(pair),
                        mode: decode.mode ?? DEFAULT_MODE,
                        threshold: decode.threshold ?? (decode.calibration ? e.stats.threshold : DEFAULT_THRESHOLD),
                        budget: decode.budget ?? DEFAULT_BUDGET,
                        tokens,
                        switches,
                        stats: e.stats,
                        answer,
                        stopReason: e.stopReason,
                    });
                    try {
                        writeFileSync(traceFile, traceJson(trace));
                    } catch (err) {
                        io.stderr.write(`rstitch: could not write the trace ${traceFile}: ${(err as Error).message}\n`);
                        return 1;
                    }
                }
                if (values.json) {
                    io.stdout.write(JSON.stringify({ text: e.text, answer, tokens, stopReason: e.stopReason, stats: e.stats }) + "\n");
                } else {
                    io.stdout.write(`${e.text.endsWith("\n") ? "" : "\n"}\n${statsLine(e.stats, e.stopReason)}\n`);
                }
                noteDemoLimits(true);
                return e.stopReason === "abort" ? 130 : 0;
            }
        }
        return 1;
    } finally {
        await pair.dispose();
    }
}
