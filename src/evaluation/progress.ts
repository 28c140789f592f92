/** A one-line progress bar on a terminal (stderr); silent when it is not a terminal. */

export class ProgressBar {
    private readonly started = performance.now();

    constructor(private readonly stream: NodeJS.WriteStream, private readonly total: number, private label = "") {}

    setLabel(label: string): void {
        this.label = label;
    }

    update(done: number): void {
        if (!this.stream.isTTY) return;
        const width = 28;
        const filled = Math.round((done / Math.max(1, this.total)) * width);
        const elapsed = (performance.now() - this.started) / 1000;
        const eta = done > 0 ? (elapsed / done) * (this.total - done) : 0;
        const bar = "█".repeat(filled) + "░".repeat(width - filled);
        this.stream.write(`\r${bar} ${done}/${this.total} ${this.label} · ${elapsed.toFixed(0)} s elapsed, ~${eta.toFixed(0)} s left\x1b[K`);
    }

    end(): void {
        if (this.stream.isTTY) this.stream.write("\r\x1b[K");
    }
}
