/**
 * The output side shared by every mode: turns kept tokens into text pieces (TextStream), holds back
 * what may be a textual stop trigger (StopDetector), and keeps the events in order.
 */
import type { SwitchEvent, TokenEvent } from "./events.ts";
import { StopDetector } from "./stop-detector.ts";
import { TextStream } from "./text-stream.ts";

type OutputEvent = TokenEvent | SwitchEvent;

export class Output {
    /** Token events released to the consumer, in order. */
    readonly emitted: TokenEvent[] = [];
    /** A stop trigger was completed; decoding must end. */
    stopped = false;
    private readonly text: TextStream;
    private readonly detector: StopDetector<OutputEvent>;
    /** Events behind a token whose character is not complete yet. */
    private waiting: OutputEvent[] = [];

    constructor(detokenize: (tokens: number[]) => string, stopTriggers: readonly string[]) {
        this.text = new TextStream(detokenize);
        this.detector = new StopDetector<OutputEvent>(
            stopTriggers,
            (e) => (e.type === "token" ? e.text : ""),
            (e, text) => (e.type === "token" ? { ...e, text } : e),
        );
    }

    /** Adds a kept token; returns the events that can be shown now. */
    token(event: Omit<TokenEvent, "type" | "text">): OutputEvent[] {
        const piece = this.text.push(event.id);
        this.waiting.push({ type: "token", ...event, text: piece ?? "" });
        return piece === null ? [] : this.release();
    }

    switch(event: SwitchEvent): OutputEvent[] {
        this.waiting.push(event);
        return this.waiting.length === 1 ? this.release() : [];
    }

    /** At the end of decoding: whatever is still held is real output (unless a trigger stopped it). */
    finish(): OutputEvent[] {
        const rest = this.text.flush();
        const lastToken = [...this.waiting].reverse().find((e): e is TokenEvent => e.type === "token");
        if (lastToken) lastToken.text = rest;
        const out = this.release();
        if (this.stopped) return out;
        return [...out, ...this.record(this.detector.flush())];
    }

    get fullText(): string {
        return this.emitted.map((e) => e.text).join("");
    }

    private release(): OutputEvent[] {
        const out: OutputEvent[] = [];
        for (const e of this.waiting) {
            if (this.stopped) break;
            const check = this.detector.push(e);
            out.push(...this.record(check.release));
            if (check.stopped) this.stopped = true;
        }
        this.waiting = [];
        return out;
    }

    private record(events: OutputEvent[]): OutputEvent[] {
        for (const e of events) if (e.type === "token") this.emitted.push(e);
        return events;
    }
}
