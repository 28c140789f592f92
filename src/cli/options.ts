/** Parses and checks command-line options into typed values, with messages that say what to fix. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { FORMER_MODES, MODES } from "../modes.ts";
import type { EntropySetting, SolveOptions } from "../stitch/index.ts";
import { UsageError } from "./usage.ts";

export { MODES };
const ENTROPY: readonly EntropySetting[] = ["auto", "exact", "tail", "topk"];

export const MODEL_OPTIONS = {
    slm: { type: "string" },
    llm: { type: "string" },
    threads: { type: "string" },
    context: { type: "string" },
    "gpu-layers": { type: "string" },
    "flash-attention": { type: "string" },
    "llm-url": { type: "string" },
    "api-key-env": { type: "string" },
    "llm-timeout": { type: "string" },
    "llm-api": { type: "string" },
} as const satisfies ParseArgsConfig["options"];

export const DECODE_OPTIONS = {
    mode: { type: "string" },
    threshold: { type: "string" },
    budget: { type: "string" },
    temperature: { type: "string" },
    seed: { type: "string" },
    entropy: { type: "string" },
    draft: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

/**
 * `--threshold -0.1` becomes `--threshold=-0.1`: parseArgs would read a value that starts with "-"
 * as an option and say "ambiguous"; joined, it reaches the range check and its message.
 */
function joinNegativeValues(args: string[], options: NonNullable<ParseArgsConfig["options"]>): string[] {
    const out: string[] = [];
    for (let i = 0; i < args.length; i++) {
        const name = args[i].startsWith("--") ? args[i].slice(2) : undefined;
        const next = args[i + 1];
        if (name && options[name]?.type === "string" && next !== undefined && /^-[\d.]/.test(next)) {
            out.push(`${args[i]}=${next}`);
            i++;
        } else {
            out.push(args[i]);
        }
    }
    return out;
}

/**
 * `needs`: what an option's value is, for the message when it has none ("--trace" last, or followed by
 * another option), e.g. { trace: "a file name after it, e.g. --trace answer.trace.json" }.
 */
export function parse<O extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: O, allowPositionals: boolean, needs: Record<string, string> = {}) {
    try {
        return parseArgs({ args: joinNegativeValues(args, options), options, allowPositionals, strict: true });
    } catch (e) {
        const message = (e as Error).message;
        const missing = /^Option '--([\w-]+)(?: <value>)?' argument (missing|is ambiguous)/.exec(message);
        if (missing) {
            const [, name, how] = missing;
            const dash = how === "missing" ? "" : ` (a value that starts with "-" goes as --${name}=VALUE)`;
            throw new UsageError(`--${name} needs ${needs[name] ?? "a value after it"}${dash}.`);
        }
        throw new UsageError(message.replace(/\. To specify a positional argument.*$/s, "."));
    }
}

export function number(name: string, raw: string | undefined, min: number, max: number, integer = false): number | undefined {
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
        throw new UsageError(`--${name} must be ${integer ? "a whole number" : "a number"}, got "${raw}".`);
    }
    if (value < min || value > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${raw}.`);
    return value;
}

export function oneOf<T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T | undefined {
    if (raw === undefined) return undefined;
    if (!allowed.includes(raw as T)) throw new UsageError(`--${name} must be one of ${allowed.join(", ")}, got "${raw}".`);
    return raw as T;
}

export function list<T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T[] | undefined {
    if (raw === undefined) return undefined;
    return raw.split(",").map((s) => oneOf(name, s.trim(), allowed)!);
}

/** The decoding options the command line can set: a slice of the decoder's own SolveOptions. */
export type DecodeValues = Pick<SolveOptions, "mode" | "threshold" | "budget" | "temperature" | "seed" | "entropy" | "draftTokens">;

/** A removed mode's name gets a message that names what replaced it. */
function formerMode(raw: string | undefined): void {
    if (raw !== undefined && Object.hasOwn(FORMER_MODES, raw)) {
        throw new UsageError(`--mode ${raw} was removed; use --mode ${FORMER_MODES[raw]} (one of ${MODES.join(", ")}).`);
    }
}

export function decodeValues(v: Record<string, string | boolean | undefined>): DecodeValues {
    formerMode(v.mode as string | undefined);
    return {
        mode: oneOf("mode", v.mode as string | undefined, MODES),
        threshold: number("threshold", v.threshold as string | undefined, 0, 1),
        budget: number("budget", v.budget as string | undefined, 1, 100_000, true),
        temperature: number("temperature", v.temperature as string | undefined, 0, 5),
        seed: number("seed", v.seed as string | undefined, 0, 2 ** 32 - 1, true),
        entropy: oneOf("entropy", v.entropy as string | undefined, ENTROPY),
        draftTokens: number("draft", v.draft as string | undefined, 1, 64, true),
    };
}
