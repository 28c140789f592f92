/**
 * A download progress line for the terminal: redrawn in place on a TTY, one line per 10% otherwise
 * (so logs and pipes stay readable).
 */
import { formatBytes } from "../models/disk-space.ts";

const WIDTH = 30;

export function progressLine(downloaded: number, total: number, bytesPerSecond: number): string {
    const fraction = total > 0 ? Math.min(1, downloaded / total) : 0;
    const filled = Math.round(fraction * WIDTH);
    const speed = bytesPerSecond > 0 ? ` · ${formatBytes(bytesPerSecond)}/s` : "";
    return `[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${formatBytes(downloaded)} of ${formatBytes(total)}${speed}`;
}

export class ProgressBar {
    private lastDecile = -1;
    private lastDraw = 0;
    private readonly started = Date.now();
    private startBytes: number | undefined;

    constructor(private readonly out: NodeJS.WritableStream & { isTTY?: boolean }) {}

    update(downloaded: number, total: number): void {
        this.startBytes ??= downloaded;
        const seconds = (Date.now() - this.started) / 1000;
        const speed = seconds > 1 ? (downloaded - this.startBytes) / seconds : 0;
        if (this.out.isTTY) {
            if (Date.now() - this.lastDraw < 100 && downloaded < total) return;
            this.lastDraw = Date.now();
            this.out.write(`\r${progressLine(downloaded, total, speed)}\x1b[K`);
            return;
        }
        const decile = total > 0 ? Math.floor((downloaded / total) * 10) : 0;
        if (decile > this.lastDecile) {
            this.lastDecile = decile;
            this.out.write(progressLine(downloaded, total, speed) + "\n");
        }
    }

    /** Ends the in-place line so the next message starts on its own line. */
    end(): void {
        if (this.out.isTTY && this.lastDraw > 0) this.out.write("\n");
    }
}
