/** Splits a solution into its chain of thought and its final answer. */

export interface SplitAnswer {
    thinking: string;
    answer: string | null;
}

const ANSWER_LINE = /^\s*answer\s*[:=]\s*(.+?)\s*$/im;

export function splitAnswer(text: string): SplitAnswer {
    const think = text.lastIndexOf("</think>");
    if (think >= 0) {
        const answer = text.slice(think + "</think>".length).trim();
        return { thinking: text.slice(0, think).replace(/^\s*<think>/, "").trim(), answer: answer || null };
    }
    const lines = text.split(/\r?\n/);
    for (let i = lines.length - 1; i >= 0; i--) {
        const m = ANSWER_LINE.exec(lines[i]);
        if (m) return { thinking: lines.slice(0, i).join("\n").trimEnd(), answer: m[1] };
    }
    return { thinking: text, answer: null };
}

/** The final answer normalised for comparison (no spaces or thousands separators, no trailing period). */
export function normaliseAnswer(answer: string): string {
    return answer.replace(/[\s,]/g, "").replace(/\.$/, "");
}

export function isCorrect(text: string, expected: string): boolean {
    const { answer } = splitAnswer(text);
    return answer !== null && normaliseAnswer(answer) === normaliseAnswer(expected);
}
