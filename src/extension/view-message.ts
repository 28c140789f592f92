/**
 * The host's boundary for messages from the chat view: each is checked against its declaration in
 * src/protocol.ts, the same declaration the view's bundle posts by. A malformed one is never acted
 * on; it becomes a `viewProblem`, which the host logs. Pure (no `vscode`), unit-tested.
 */
import { FieldError, parse } from "../schema.ts";
import { webviewToHostSchema, type WebviewToHost } from "../protocol.ts";

export function checkViewMessage(data: unknown): WebviewToHost {
    try {
        return parse(webviewToHostSchema, data, "message");
    } catch (e) {
        const reason = e instanceof FieldError ? e.message : `unreadable message (${e instanceof Error ? e.name : typeof e})`;
        return { type: "viewProblem", message: `R-Stitch: dropped a malformed message from the view: ${reason}` };
    }
}
