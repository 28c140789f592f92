/**
 * Collects streamed tokens and hands them on in batches, at most one batch per interval, so a fast
 * decoder does not flood the webview with one message per token. The first token of a quiet period
 * starts the timer; `flush()` empties the buffer at once (done, error); `discard()` drops it (Stop:
 * nothing more is shown once the user has asked to stop).
 */
export interface Timers {
    setTimeout(fn: () => void, ms: number): unknown;
    clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class Batcher<T> {
    private buffer: T[] = [];
    private timer: unknown = undefined;

    constructor(
        private readonly deliver: (batch: T[]) => void,
        private readonly intervalMs = 30,
        private readonly timers: Timers = realTimers,
    ) {}

    push(item: T): void {
        this.buffer.push(item);
        if (this.timer === undefined) this.timer = this.timers.setTimeout(() => this.flush(), this.intervalMs);
    }

    /** Delivers whatever is buffered now (nothing when empty) and cancels the pending timer. */
    flush(): void {
        if (this.timer !== undefined) {
            this.timers.clearTimeout(this.timer);
            this.timer = undefined;
        }
        if (this.buffer.length === 0) return;
        const batch = this.buffer;
        this.buffer = [];
        this.deliver(batch);
    }

    /** Drops whatever is buffered without delivering it, and cancels the pending timer. */
    discard(): void {
        if (this.timer !== undefined) {
            this.timers.clearTimeout(this.timer);
            this.timer = undefined;
        }
        this.buffer = [];
    }

    get pending(): number {
        return this.buffer.length;
    }
}
