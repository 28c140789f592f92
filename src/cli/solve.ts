/** `rstitch solve`: streams one stitched answer, coloured by model, or prints it as one JSON object. */
import type { StitchStats, TokenEvent } from "../stitch/index.ts";
import { openPair } from "./models.ts";
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
    const parts = [
        `${s.totalTokens} tokens: SLM ${s.slm.tokens}, LLM ${s.llm.tokens} (LLM share ${(s.llmShare * 100).toFixed(1)}%)`,
        `${s.switches} switches`,
        `${s.discardedSlmTokens} SLM tokens discarded`,
        `${s.tokensPerSecond.toFixed(1)} tokens/s`,
        `${(s.wallMs / 1000).toFixed(2)} s`,
        `mode ${s.mode}${s.mode === "stitch" ? ` τ=${s.threshold}` : ""}`,
        `stop: ${stopReason}`,
    ];
    if (s.draft) parts.splice(3, 0, `draft ${s.draft.accepted}/${s.draft.proposed} accepted`);
    return parts.join(" · ");
}

export async function solveCommand(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parse(args, { ...MODEL_OPTIONS, ...DECODE_OPTIONS }, true);
    if (values.help) {
        io.stdout.write(HELP + "\n");
        return 0;
    }
    const decode = decodeValues(values);
    let prompt = positionals.join(" ");
    if (!prompt) {
        if (io.stdin.isTTY) throw new UsageError(`Give a problem to solve: rstitch solve "What is 47 * 36?" (or pipe it on standard input).`);
        prompt = await readStdin(io.stdin);
    }
    prompt = prompt.trim();
    if (!prompt) throw new UsageError("The problem is empty; give some text to solve.");

    const pair = await openPair(values);
    const colour = !values.json && useColour(io.stdout);
    try {
        const tokens: Omit<TokenEvent, "type" | "index">[] = [];
        if (colour) io.stderr.write(legend(true) + "\n");
        const remote = pair.remoteLlm;
        if (remote && !values.json) io.stderr.write(`LLM: remote, ${remote.name} at ${remote.url}\n`);
        let written = 0;
        for await (const e of pair.solve({ prompt, ...decode, signal: io.signal })) {
            if (e.type === "token") {
                if (values.json) tokens.push({ id: e.id, text: e.text, source: e.source, entropy: e.entropy });
                else io.stdout.write(paint(e.text, e.source, colour));
                written++;
            } else if (e.type === "error") {
                // The answer so far stays: above in text mode, in the JSON object otherwise.
                if (values.json) io.stdout.write(JSON.stringify({ error: e.message, text: tokens.map((t) => t.text).join(""), tokens }) + "\n");
                else if (written > 0) io.stdout.write("\n");
                io.stderr.write(`rstitch: ${e.message}${written > 0 && !values.json ? ` (the ${written} tokens written before this are kept above)` : ""}\n`);
                return e.code === "prompt-too-long" ? 2 : 1;
            } else if (e.type === "done") {
                if (values.json) {
                    io.stdout.write(JSON.stringify({ text: e.text, tokens, stopReason: e.stopReason, stats: e.stats }) + "\n");
                } else {
                    io.stdout.write(`${e.text.endsWith("\n") ? "" : "\n"}\n${statsLine(e.stats, e.stopReason)}\n`);
                }
                return e.stopReason === "abort" ? 130 : 0;
            }
        }
        return 1;
    } finally {
        await pair.dispose();
    }
}
