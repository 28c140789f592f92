/** The status-bar item: model pair, state and the last answer's speed; a click opens the chat panel. */
import * as vscode from "vscode";
import type { HostStatus } from "../protocol.ts";

const ICON: Record<HostStatus["state"], string> = {
    idle: "$(sparkle)",
    loading: "$(loading~spin)",
    running: "$(loading~spin)",
};

const STATE_TEXT: Record<HostStatus["state"], string> = {
    idle: "ready",
    loading: "loading models…",
    running: "answering…",
};

export function statusText(s: HostStatus): string {
    // Never "ready" while the configured models cannot load: say what is wrong instead.
    if (s.state === "idle" && s.problem) return `$(warning) R-Stitch: ${s.problem}`;
    const speed = s.state === "idle" && s.lastTokensPerSecond !== undefined ? ` · ${s.lastTokensPerSecond.toFixed(0)} tok/s` : "";
    return `${ICON[s.state]} R-Stitch: ${s.state === "idle" ? s.models : STATE_TEXT[s.state]}${speed}`;
}

export class StatusBar implements vscode.Disposable {
    private readonly item = vscode.window.createStatusBarItem("rstitch.status", vscode.StatusBarAlignment.Right, 100);

    constructor() {
        this.item.name = "R-Stitch";
        this.item.command = "rstitch.chat.focus";
        this.item.show();
    }

    update(s: HostStatus, threshold: number, problemDetail?: string): void {
        this.item.text = statusText(s);
        const broken = s.state === "idle" && s.problem !== undefined;
        // The fix is one click away: the item opens Choose Models… instead of the chat.
        this.item.command = broken ? "rstitch.chooseModels" : "rstitch.chat.focus";
        this.item.backgroundColor = broken ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
        if (broken) {
            this.item.tooltip = [`R-Stitch — ${s.problem}`, problemDetail ?? "", `Models: ${s.models}`, "Click to choose models."].filter(Boolean).join("\n");
            return;
        }
        const lines = [`R-Stitch — ${STATE_TEXT[s.state]}`, `Models: ${s.models}`, `Entropy threshold τ: ${threshold}`];
        if (s.llmRemote) lines.push(`LLM: remote, served by ${s.llmRemote}`);
        if (s.lastTokensPerSecond !== undefined) lines.push(`Last answer: ${s.lastTokensPerSecond.toFixed(1)} tokens/s`);
        lines.push("Click to open the chat panel.");
        this.item.tooltip = lines.join("\n");
    }

    dispose(): void {
        this.item.dispose();
    }
}
