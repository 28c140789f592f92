/**
 * What the embedded demo pair can answer: the one task it was trained on (tools/tasks.py),
 * "What is A op B?" written exactly so, with A and B in the trained ranges. Anything else gets
 * confident nonsense from it, so the editor and the CLI both say so. Pure; no `vscode` import.
 */
import type { TurnKind } from "../protocol.ts";

export const DEMO_FORM = `"What is A op B?" arithmetic (for example "What is 47 * 36?")`;

/**
 * Whether the demo pair in models/ was taught follow-ups on its previous result (tools/tasks.py's
 * FOLLOW_UP_PHRASES, issue 18 item 4). Set to true together with the models that learned them:
 * the note then names the follow-ups and a follow-up within their ranges counts as fitting.
 */
export const DEMO_KNOWS_FOLLOW_UPS = false;
export const DEMO_FOLLOW_UPS = `"Now add C", "Now subtract C", "And times C?"`;

/** `instead`: the same question as the pair was trained to read it, when it was only written differently. */
export type DemoFit = { fits: true } | { fits: false; why: string; instead?: string };
export type DemoMisfit = Exclude<DemoFit, { fits: true }>;

/** What came before the question: the previous turn's final answer, when there was one. */
export interface DemoContext {
    previousAnswer?: string | null;
}

const FORM = /^What is (\d+) ([-+*]) (\d+)\?$/;
// The same question written another way ("what is 47*36", "What is 7 x 8?"): the pair only ever saw
// single spaces and these three operators, so "47*36" already derails it (it answered 864).
const LOOSE = /^what\s+is\s*(\d+)\s*([-+*x×−])\s*(\d+)\s*\??$/i;
const OPERATOR: Record<string, string> = { x: "*", X: "*", "×": "*", "−": "-" };
// The follow-ups as tools/tasks.py writes them: "Now add C (to that)", "Now subtract C (from that)", "And times C?", "Now times C".
const FOLLOW_UP = /^(?:Now (add|subtract) (\d+)(?: to that| from that)?|And (times) (\d+)\?|Now (times) (\d+))$/;
const LOOSE_FOLLOW_UP = /^(?:and|now)\b.*\b(add|plus|subtract|minus|times|multiply)\b/i;

const within = (n: number, lo: number, hi: number) => n >= lo && n <= hi;

/** Whether the trained task covers a request, and if not, why (one short clause). */
export function demoPairFits(kind: TurnKind, prompt: string, context: DemoContext = {}): DemoFit {
    if (kind === "explain") return { fits: false, why: "it cannot explain code" };
    const question = prompt.trim();
    const m = FORM.exec(question);
    if (m) return inRange(Number(m[1]), m[2], Number(m[3]));
    const followUp = FOLLOW_UP.exec(question);
    if (followUp || LOOSE_FOLLOW_UP.test(question)) return followUpFits(followUp, context);
    const loose = LOOSE.exec(question);
    if (!loose) return { fits: false, why: "this question is not of that form" };
    const [a, op, b] = [Number(loose[1]), OPERATOR[loose[2]] ?? loose[2], Number(loose[3])];
    const range = inRange(a, op, b);
    return range.fits ? { fits: false, why: "it is not written exactly in that form", instead: `What is ${a} ${op} ${b}?` } : range;
}

function followUpFits(m: RegExpExecArray | null, context: DemoContext): DemoFit {
    if (!DEMO_KNOWS_FOLLOW_UPS) return { fits: false, why: "it answers each question on its own and knows no follow-ups" };
    if (!m) return { fits: false, why: `this follow-up is not one of ${DEMO_FOLLOW_UPS}` };
    const previous = context.previousAnswer?.trim();
    if (!previous || !/^\d+$/.test(previous)) return { fits: false, why: "a follow-up needs an earlier answer to work on" };
    const op = m[1] ?? m[3] ?? m[5];
    const c = Number(m[2] ?? m[4] ?? m[6]);
    // The training mix (tools/tasks.py sample_follow_up): add 1–4 digits, subtract at most the result, times one digit 2–9.
    const ok = op === "add" ? within(c, 1, 9999) : op === "subtract" ? c >= 1 && c <= Number(previous) : within(c, 2, 9);
    return ok ? { fits: true } : { fits: false, why: "its number is outside the range it was trained on" };
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

/** What the demo pair knows, as one clause: the question form, and the follow-ups if it learned them. */
export function demoKnows(): string {
    return DEMO_KNOWS_FOLLOW_UPS ? `${DEMO_FORM} and follow-ups on the last result (${DEMO_FOLLOW_UPS})` : DEMO_FORM;
}

/**
 * The note for a request the demo pair does not fit. `answered`: it ran and an answer was shown;
 * `nextStep`: what to do instead, in the words of the surface (editor commands, CLI options);
 * `answer`: how the surface refers to that answer (the CLI prints the note after it: "the answer above").
 */
export function demoLimitNote(fit: DemoMisfit, answered: boolean, nextStep: string, answer = "the answer above"): string {
    return (
        `The embedded demo models only solve ${demoKnows()}; ${fit.why}` +
        (answered ? `, so ${answer} is not meaningful. ` : ". ") +
        (fit.instead ? `Ask "${fit.instead}" instead. ` : "") +
        nextStep
    );
}
