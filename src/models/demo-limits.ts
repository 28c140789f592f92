/**
 * What the embedded demo pair can answer: the one task it was trained on (tools/tasks.py),
 * "What is A op B?" written exactly so, with A and B in the trained ranges. Anything else gets
 * confident nonsense from it, so the editor and the CLI both say so. Pure; no `vscode` import.
 */
import type { TurnKind } from "../protocol.ts";

export const DEMO_FORM = `"What is A op B?" arithmetic (for example "What is 47 * 36?")`;

/** `instead`: the same question as the pair was trained to read it, when it was only written differently. */
export type DemoFit = { fits: true } | { fits: false; why: string; instead?: string };
export type DemoMisfit = Exclude<DemoFit, { fits: true }>;

const FORM = /^What is (\d+) ([-+*]) (\d+)\?$/;
// The same question written another way ("what is 47*36", "What is 7 x 8?"): the pair only ever saw
// single spaces and these three operators, so "47*36" already derails it (it answered 864).
const LOOSE = /^what\s+is\s*(\d+)\s*([-+*x×−])\s*(\d+)\s*\??$/i;
const OPERATOR: Record<string, string> = { x: "*", X: "*", "×": "*", "−": "-" };

const within = (n: number, lo: number, hi: number) => n >= lo && n <= hi;

/** Whether the trained task covers a request, and if not, why (one short clause). */
export function demoPairFits(kind: TurnKind, prompt: string): DemoFit {
    if (kind === "explain") return { fits: false, why: "it cannot explain code" };
    const question = prompt.trim();
    const m = FORM.exec(question);
    if (m) return inRange(Number(m[1]), m[2], Number(m[3]));
    const loose = LOOSE.exec(question);
    if (!loose) return { fits: false, why: "this question is not of that form" };
    const [a, op, b] = [Number(loose[1]), OPERATOR[loose[2]] ?? loose[2], Number(loose[3])];
    const range = inRange(a, op, b);
    return range.fits ? { fits: false, why: "it is not written exactly in that form", instead: `What is ${a} ${op} ${b}?` } : range;
}

function inRange(a: number, op: string, b: number): DemoFit {
    // The training mix: + and − on 2–4 digit numbers (a ≥ b for −); × of a 2–3 digit number by one
    // digit 2–9, or of two 2-digit numbers.
    const ok =
        op === "+" ? within(a, 10, 9999) && within(b, 10, 9999)
        : op === "-" ? within(a, 10, 9999) && within(b, 10, 9999) && a >= b
        : (within(a, 10, 999) && within(b, 2, 9)) || (within(a, 10, 99) && within(b, 10, 99));
    return ok ? { fits: true } : { fits: false, why: "its numbers are outside the ranges it was trained on" };
}

/**
 * The note for a request the demo pair does not fit. `answered`: it ran and an answer was shown;
 * `nextStep`: what to do instead, in the words of the surface (editor commands, CLI options).
 */
export function demoLimitNote(fit: DemoMisfit, answered: boolean, nextStep: string): string {
    return (
        `The embedded demo models only solve ${DEMO_FORM}; ${fit.why}` +
        (answered ? ", so the answer above is not meaningful. " : ". ") +
        (fit.instead ? `Ask "${fit.instead}" instead. ` : "") +
        nextStep
    );
}
