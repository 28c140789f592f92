/**
 * The one way `eval` and `bench` score a solution: the final answer read by `finalAnswer`
 * (src/stitch/answer.ts: \boxed{…}, answer markers, then the last number; reply first, then the whole
 * text) compared with the expected answer by `answersMatch`.
 */
import { answersMatch, finalAnswer, type AnswerRule } from "../stitch/answer.ts";

export interface Score {
    correct: boolean;
    /** The answer as read from the text; null when none was found. */
    extracted: string | null;
    rule: AnswerRule | null;
}

export function scoreAnswer(text: string, expected: string): Score {
    const found = finalAnswer(text);
    if (!found) return { correct: false, extracted: null, rule: null };
    return { correct: answersMatch(found.value, expected), extracted: found.value, rule: found.rule };
}
