/**
 * The webview's boundary: every message from the host is checked against its declaration in
 * src/protocol.ts before the view touches it. A malformed one is refused with a reason (the caller
 * logs it and drops it), so a bad message can never throw inside the renderer or leave the view
 * half-updated. Pure, unit-tested.
 */
import { FieldError, parse } from "../src/schema.ts";
import { hostToWebviewSchema, turnSchema, type HostToWebview, type Turn } from "../src/protocol.ts";

export type Checked = { ok: true; msg: HostToWebview } | { ok: false; reason: string };

export function checkHostMessage(data: unknown): Checked {
    try {
        return { ok: true, msg: parse(hostToWebviewSchema, data, "message") };
    } catch (e) {
        // FieldError is expected; anything else (a hostile getter, a stack overflow) is refused the same way.
        return { ok: false, reason: e instanceof FieldError ? e.message : `unreadable message (${e instanceof Error ? e.name : typeof e})` };
    }
}

/** A short, safe description of a refused message for the log. */
export function describeRefused(data: unknown, reason: string): string {
    let type = "?";
    try {
        const t = (data as Record<string, unknown> | null)?.type;
        if (typeof t === "string") type = t.slice(0, 40);
    } catch {
        // unreadable: keep "?"
    }
    return `R-Stitch view: dropped a malformed "${type}" message from the host: ${reason}`;
}

/** The turns of a saved state (`vscode.getState`), keeping only the well-formed ones. */
export function savedTurns(v: unknown): Turn[] {
    if (!Array.isArray(v)) return [];
    const out: Turn[] = [];
    for (const t of v) {
        try {
            out.push(parse(turnSchema, t, "saved turn"));
        } catch {
            // A damaged saved turn is skipped; the host's `init` brings the real conversation anyway.
        }
    }
    return out;
}
