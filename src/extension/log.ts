/** The "R-Stitch" output channel: one readable, timestamped line per event worth knowing. */
import * as vscode from "vscode";

export interface Log {
    info(message: string): void;
    warn(message: string): void;
    error(message: string): void;
}

export function createLog(): Log & vscode.Disposable & { show(): void } {
    // A log channel adds timestamps and levels, and the user can filter it by level.
    const channel = vscode.window.createOutputChannel("R-Stitch", { log: true });
    return {
        info: (m) => channel.info(m),
        warn: (m) => channel.warn(m),
        error: (m) => channel.error(m),
        show: () => channel.show(true),
        dispose: () => channel.dispose(),
    };
}
