/**
 * What the view's one live region says: the start of a turn, its end (with the answer) and errors.
 * Never a token: a screen reader reading the stream token by token would be unusable. Pure.
 */
import type { HostToWebview, Turn } from "../src/protocol.ts";
import { clampText } from "./clamp.ts";

/** Spoken text is kept short: the whole of it is on the page. */
const SAY_MAX_CHARS = 200;

function short(text: string): string {
    return clampText(text.replace(/\s+/g, " ").trim(), SAY_MAX_CHARS, 1).text;
}

/** The sentence for a host message about `turn` (as the model holds it after the message), or "". */
export function announcement(msg: HostToWebview, turn: Turn | undefined): string {
    if (!turn) return "";
    switch (msg.type) {
        case "turnStart":
            return `R-Stitch is answering: ${short(turn.label ?? turn.prompt)}`;
        case "turnDone":
            if (msg.stopReason === "abort") return msg.answer ? `Stopped. Answer so far: ${short(msg.answer)}` : "Stopped.";
            if (msg.answer === null) return `Finished, ${msg.stats.totalTokens} tokens, with no final answer line.`;
            return `Answer: ${short(msg.answer)}`;
        case "turnError":
            return `Error: ${short(msg.message)}`;
        default:
            return "";
    }
}
