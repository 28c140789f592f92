/**
 * What the embedded demo pair can answer: the one task it was trained on (tools/tasks.py),
 * "What is A op B?" with A and B in the trained ranges. Anything else gets confident nonsense from
 * it, so the extension says so. Pure; no `vscode` import.
 */
import type { TurnKind } from "../protocol.ts";

export const DEMO_FORM = `"What is A op B?" arithmetic (for example "What is 47 * 36?")`;

export type DemoFit = { fits: true } | { fits: false; why: string };

const FORM = /^What is (\d+) ([-+*]) (\d+)\?$/;

const within = (n: number, lo: number, hi: number) => n >= lo && n <= hi;

/** Whether the trained task covers a request, and if not, why (one short clause). */
export function demoPairFits(kind: TurnKind, prompt: string): DemoFit {
    if (kind === "explain") return { fits: false, why: "it cannot explain code" };
    const m = FORM.exec(prompt.trim());
    if (!m) return { fits: false, why: "this question is not of that form" };
    const [a, op, b] = [Number(m[1]), m[2], Number(m[3])];
    // The training mix: + and − on 2–4 digit numbers (a ≥ b for −); × of a 2–3 digit number by one
    // digit 2–9, or of two 2-digit numbers.
    const ok =
        op === "+" ? within(a, 10, 9999) && within(b, 10, 9999)
        : op === "-" ? within(a, 10, 9999) && within(b, 10, 9999) && a >= b
        : (within(a, 10, 999) && within(b, 2, 9)) || (within(a, 10, 99) && within(b, 10, 99));
    return ok ? { fits: true } : { fits: false, why: "its numbers are outside the ranges it was trained on" };
}

/** The sentence shown in the view and the notification. */
export function demoLimitMessage(fit: Exclude<DemoFit, { fits: true }>, ran: boolean): string {
    return (
        `The embedded demo models only solve ${DEMO_FORM}; ${fit.why}` +
        (ran ? ", so the answer above is not meaningful. " : ". ") +
        `Download recommended models or choose your own for real questions.`
    );
}
