/** Terminal colours for the two models' tokens; plain text where NO_COLOR is set or output is not a terminal. */
import type { Source } from "../stitch/index.ts";

const CODES: Record<Source, string> = { slm: "\x1b[36m", llm: "\x1b[35m" };
const RESET = "\x1b[0m";

export function useColour(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
    return Boolean(stream.isTTY) && !("NO_COLOR" in env && env.NO_COLOR !== "") && env.TERM !== "dumb";
}

export function paint(text: string, source: Source, colour: boolean): string {
    return colour && text ? CODES[source] + text + RESET : text;
}

export function legend(colour: boolean): string {
    return `${paint("■ SLM", "slm", colour)}  ${paint("■ LLM", "llm", colour)}`;
}
