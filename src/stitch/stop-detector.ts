/**
 * Holds back output text that may be the start of a textual stop trigger (for example "<|im_end|>"
 * spelled out in bytes), releases it once it cannot be, and reports a complete trigger.
 */

export interface StopCheck<T> {
    /** Items now safe to emit, in order. */
    release: T[];
    /** A trigger was completed; held items were dropped. */
    stopped: boolean;
}

export class StopDetector<T> {
    private held: T[] = [];
    private readonly triggers: string[];

    constructor(triggers: readonly string[], private readonly textOf: (item: T) => string) {
        this.triggers = triggers.filter((t) => t.length > 0);
    }

    push(item: T): StopCheck<T> {
        this.held.push(item);
        const text = this.held.map(this.textOf).join("");
        if (this.triggers.some((t) => text.includes(t))) {
            this.held = [];
            return { release: [], stopped: true };
        }
        // Keep the shortest tail of held items whose text could still grow into a trigger.
        let keepFrom = this.held.length;
        for (let i = this.held.length - 1; i >= 0; i--) {
            const tail = this.held.slice(i).map(this.textOf).join("");
            if (this.triggers.some((t) => couldStart(tail, t))) keepFrom = i;
        }
        const release = this.held.slice(0, keepFrom);
        this.held = this.held.slice(keepFrom);
        return { release, stopped: false };
    }

    /** At the end of decoding: whatever is held is real output. */
    flush(): T[] {
        const rest = this.held;
        this.held = [];
        return rest;
    }
}

/** Does `tail` end with a proper prefix of `trigger`, covering the whole of tail? */
function couldStart(tail: string, trigger: string): boolean {
    if (tail.length === 0 || tail.length >= trigger.length) return false;
    return trigger.startsWith(tail);
}
