/**
 * "Export Trace…" and "Open Trace…": a turn to a JSON file (src/trace.ts) and a file back into the
 * view as a read-only turn. A trace file is untrusted: whatever is wrong with it ends as one short
 * message naming the file; the conversation is only touched once the whole file has been checked.
 */
import * as vscode from "vscode";
import { randomUUID } from "node:crypto";
import type { Turn } from "../protocol.ts";
import { MAX_TRACE_BYTES, parseTrace, traceJson } from "../trace.ts";
import type { ChatView } from "./chat-view.ts";
import type { Conversation } from "./conversation.ts";
import type { Log } from "./log.ts";
import type { Session } from "./session.ts";
import { traceOfTurn, turnOfTrace } from "./turn-trace.ts";

/** What a trace command did (also what the in-host tests check): the message shown when it did not. */
export type TraceOutcome = { ok: true; uri: vscode.Uri; turn: Turn } | { ok: false; message: string } | undefined;

export interface TraceDeps {
    session: Session;
    view: ChatView;
    conversation: Conversation;
    log: Log;
}

function asUri(v: unknown): vscode.Uri | undefined {
    if (v instanceof vscode.Uri) return v;
    if (typeof v === "string" && v) return vscode.Uri.file(v);
    return undefined;
}

function fileName(uri: vscode.Uri): string {
    return uri.path.split("/").pop() || uri.path;
}

function reasonOf(e: unknown): string {
    const msg = e instanceof Error ? e.message : String(e);
    return msg.split("\n")[0].slice(0, 200);
}

function defaultTraceUri(): vscode.Uri | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
    return folder && vscode.Uri.joinPath(folder, `rstitch-trace-${stamp}.json`);
}

export function exportTraceCommand(deps: TraceDeps) {
    return async (turnId?: unknown, target?: unknown): Promise<TraceOutcome> => {
        const { conversation, log } = deps;
        const turn = typeof turnId === "string" ? conversation.get(turnId) : [...conversation.all()].reverse().find((t) => t.state === "done");
        const refuse = (message: string): TraceOutcome => {
            log.warn(message);
            void vscode.window.showWarningMessage(message);
            return { ok: false, message };
        };
        if (!turn) return refuse(typeof turnId === "string" ? "R-Stitch: that answer is no longer in the conversation." : "R-Stitch: no finished answer to export yet; ask a question first.");
        const exportable = traceOfTurn(turn);
        if (!exportable.ok) return refuse(`R-Stitch: cannot export the trace: ${exportable.reason}.`);

        const uri =
            asUri(target) ??
            (await vscode.window.showSaveDialog({
                title: "Export Trace",
                saveLabel: "Export",
                defaultUri: defaultTraceUri(),
                filters: { "R-Stitch trace": ["json"] },
            }));
        if (!uri) return undefined;
        try {
            await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(traceJson(exportable.trace)));
        } catch (e) {
            const message = `R-Stitch: could not write the trace "${fileName(uri)}": ${reasonOf(e)}`;
            log.error(message);
            void vscode.window.showErrorMessage(message);
            return { ok: false, message };
        }
        log.info(`Trace of ${turn.tokens.length} tokens exported to ${uri.fsPath}.`);
        vscode.window.setStatusBarMessage(`R-Stitch: trace exported to ${fileName(uri)}`, 4000);
        return { ok: true, uri, turn };
    };
}

export function openTraceCommand(deps: TraceDeps) {
    return async (source?: unknown): Promise<TraceOutcome> => {
        const { conversation, view, session, log } = deps;
        const uri =
            asUri(source) ??
            (
                await vscode.window.showOpenDialog({
                    title: "Open Trace",
                    openLabel: "Open",
                    canSelectMany: false,
                    filters: { "R-Stitch trace": ["json"], "All files": ["*"] },
                })
            )?.[0];
        if (!uri) return undefined;
        const name = fileName(uri);
        const refuse = (reason: string): TraceOutcome => {
            const message = `R-Stitch: cannot open the trace "${name}": ${reason}.`;
            log.warn(`${message} (${uri.fsPath})`);
            void vscode.window.showErrorMessage(message);
            return { ok: false, message };
        };
        let text: string;
        try {
            const stat = await vscode.workspace.fs.stat(uri);
            if (stat.type & vscode.FileType.Directory) return refuse("it is a folder, not a file");
            if (stat.size > MAX_TRACE_BYTES) return refuse(`it is larger than ${MAX_TRACE_BYTES / 1024 / 1024} MiB`);
            const bytes = await vscode.workspace.fs.readFile(uri);
            text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
        } catch (e) {
            return refuse(e instanceof TypeError ? "it is not UTF-8 text" : `it cannot be read (${reasonOf(e)})`);
        }
        const parsed = parseTrace(text);
        if (!parsed.ok) return refuse(parsed.reason);

        const turn = turnOfTrace(parsed.trace, randomUUID(), name);
        conversation.add(turn);
        log.info(`Opened the trace ${uri.fsPath}: ${turn.tokens.length} tokens, ${turn.switches?.length ?? 0} switches.`);
        await view.reveal();
        // The whole conversation, not one new turn: the view may have just been created by reveal()
        // and will also ask for it; showing it twice must not show the turn twice.
        view.post({ type: "init", turns: conversation.all(), status: session.status() });
        return { ok: true, uri, turn };
    };
}
