/**
 * Holds back output that may be the start of a textual stop trigger (for example "<|im_end|>" spelled
 * out in text, or "\n\n### Human"), releases it once it cannot be, and reports a complete trigger.
 *
 * Works on text, not on whole items: with a BPE vocabulary a trigger can begin inside a token
 * (" <|" then "im", "_end", "|", ">"; ".\n\n" then "###", " Human") or sit inside one token with
 * text before it ("x<|im_end|>"). The item in which the trigger begins is released with only the
 * text before the trigger, so that text is never lost; the trigger and everything after it are not.
 */

export interface StopCheck<T> {
    /** Items now safe to emit, in order. */
    release: T[];
    /** A trigger was completed; held items from the trigger on were dropped. */
    stopped: boolean;
}

export class StopDetector<T> {
    private held: T[] = [];
    private readonly triggers: string[];

    /**
     * @param textOf the text an item adds to the output ("" for items that add none)
     * @param withText the same item with its text cut to the given prefix
     */
    constructor(
        triggers: readonly string[],
        private readonly textOf: (item: T) => string,
        private readonly withText: (item: T, text: string) => T,
    ) {
        this.triggers = triggers.filter((t) => t.length > 0);
    }

    push(item: T): StopCheck<T> {
        this.held.push(item);
        const texts = this.held.map(this.textOf);
        const text = texts.join("");
        const starts: number[] = [];
        let offset = 0;
        for (const t of texts) {
            starts.push(offset);
            offset += t.length;
        }

        const found = this.firstTrigger(text);
        if (found >= 0) {
            const release: T[] = [];
            for (let i = 0; i < this.held.length && starts[i] < found; i++) {
                const whole = starts[i] + texts[i].length <= found;
                release.push(whole ? this.held[i] : this.withText(this.held[i], texts[i].slice(0, found - starts[i])));
            }
            this.held = [];
            return { release, stopped: true };
        }

        // Hold from the earliest offset whose remaining text could still grow into a trigger.
        const from = this.earliestPossibleStart(text);
        let keep = this.held.length;
        for (let i = 0; i < this.held.length; i++) {
            if (starts[i] + texts[i].length > from) {
                keep = i;
                break;
            }
        }
        const release = this.held.slice(0, keep);
        this.held = this.held.slice(keep);
        return { release, stopped: false };
    }

    /** At the end of decoding: whatever is held is real output. */
    flush(): T[] {
        const rest = this.held;
        this.held = [];
        return rest;
    }

    private firstTrigger(text: string): number {
        let first = -1;
        for (const t of this.triggers) {
            const at = text.indexOf(t);
            if (at >= 0 && (first < 0 || at < first)) first = at;
        }
        return first;
    }

    /** Smallest offset whose suffix is a proper prefix of some trigger; text.length when none. */
    private earliestPossibleStart(text: string): number {
        for (let at = 0; at < text.length; at++) {
            const tail = text.slice(at);
            if (this.triggers.some((t) => tail.length < t.length && t.startsWith(tail))) return at;
        }
        return text.length;
    }
}
