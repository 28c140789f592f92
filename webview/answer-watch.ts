/**
 * Watches a streamed output token by token for the point where the answer begins, so the view can
 * fold the thinking and set the answer apart while it still streams. Two shapes, as in
 * src/stitch/answer.ts: a reasoning model's `<think>…</think>` (the answer follows the closing tag)
 * and the demo pair's final "Answer: …" line. Pure, so it is unit-tested without a browser.
 */
const ANSWER_LINE_START = /^\s*answer\s*[:=]/i;
const LINE_KEEP = 64;
const TAIL_KEEP = 16;

export class AnswerWatch {
    private started = false;
    private sawThinkOpen = false;
    /** The start of the current line (bounded: only its beginning matters). */
    private line = "";
    /** Tokens that wrote part of the current line. */
    private lineTokens = 0;
    /** The last few characters of the output, to find a tag split across tokens. */
    private tail = "";

    get answerStarted(): boolean {
        return this.started;
    }

    /**
     * Feeds one token. Returns undefined while the output is still thinking (and after the answer has
     * begun); the first time the answer begins, returns how many of the tokens fed so far, counted back
     * from this one, belong to the answer (0: the answer starts with the next token).
     */
    feed(text: string): number | undefined {
        if (this.started) return undefined;
        const before = this.tail;
        this.tail = (before + text).slice(-TAIL_KEEP);
        const joined = before + text;
        // Some chat templates open <think> in the prompt: the closing tag alone ends the thinking.
        if (joined.includes("</think>") && !before.includes("</think>")) return this.begin(0);
        if (!this.sawThinkOpen && joined.includes("<think>")) this.sawThinkOpen = true;
        if (this.sawThinkOpen) return undefined;
        const nl = text.lastIndexOf("\n");
        if (nl >= 0) {
            this.line = text.slice(nl + 1, nl + 1 + LINE_KEEP);
            this.lineTokens = this.line.length > 0 ? 1 : 0;
        } else {
            if (this.line.length < LINE_KEEP) this.line = (this.line + text).slice(0, LINE_KEEP);
            this.lineTokens++;
        }
        if (this.lineTokens > 0 && ANSWER_LINE_START.test(this.line)) return this.begin(this.lineTokens);
        return undefined;
    }

    private begin(n: number): number {
        this.started = true;
        return n;
    }
}
