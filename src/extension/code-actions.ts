/**
 * A code block of an answer into the editor: Copy, Insert at Cursor, Apply to Selection (shown as a
 * diff first; nothing changes until the user accepts) and Open in New File. The confirmation is a
 * parameter so the in-host test can answer it; the command uses VS Code's own prompt.
 */
import * as vscode from "vscode";
import type { CodeRequest } from "./webview-requests.ts";

/** The proposal shown on the right of the diff: a read-only virtual document. */
export const PROPOSAL_SCHEME = "rstitch-proposal";

export type Confirm = (question: string) => Thenable<boolean>;

export const askToApply: Confirm = async (question) =>
    (await vscode.window.showInformationMessage(question, { modal: true }, "Apply")) === "Apply";

/** The text editor the code goes to: the active one, else one visible; never a proposal of ours. */
function targetEditor(scheme: string): vscode.TextEditor | undefined {
    const ok = (e: vscode.TextEditor | undefined) => e !== undefined && e.document.uri.scheme !== scheme;
    const active = vscode.window.activeTextEditor;
    return ok(active) ? active : vscode.window.visibleTextEditors.find(ok);
}

/** Closes the diff tabs that show `proposal`. */
async function closeDiff(proposal: vscode.Uri): Promise<void> {
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs)
        .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === proposal.toString());
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}

export class CodeActions implements vscode.Disposable {
    private readonly proposals = new Map<string, string>();
    private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
    private readonly registration: vscode.Disposable;
    private next = 0;

    constructor(
        private readonly confirm: Confirm = askToApply,
        private readonly scheme = PROPOSAL_SCHEME,
    ) {
        this.registration = vscode.workspace.registerTextDocumentContentProvider(scheme, {
            onDidChange: this.emitter.event,
            provideTextDocumentContent: (uri) => this.proposals.get(uri.toString()) ?? "",
        });
    }

    /** Carries out one request; the returned text says what happened (for the status bar). */
    async run(req: CodeRequest): Promise<string> {
        switch (req.action) {
            case "copy":
                await vscode.env.clipboard.writeText(req.code);
                return "code copied";
            case "insert":
                return this.insert(req.code);
            case "apply":
                return this.apply(req.code);
            case "newFile": {
                const doc = await vscode.workspace.openTextDocument({ content: req.code, language: req.language });
                await vscode.window.showTextDocument(doc);
                return "code opened in a new file";
            }
        }
    }

    async insert(code: string): Promise<string> {
        const editor = targetEditor(this.scheme);
        if (!editor) return this.noEditor();
        const ok = await editor.edit((b) => {
            for (const s of editor.selections) b.replace(s, code);
        });
        return ok ? "code inserted" : "the editor refused the insertion";
    }

    /** Shows the selection replaced by `code` as a diff; applies it only if the user accepts. */
    async apply(code: string): Promise<string> {
        const editor = targetEditor(this.scheme);
        if (!editor) return this.noEditor();
        const doc = editor.document;
        const selection = editor.selection;
        const version = doc.version;
        const text = doc.getText();
        const proposed = text.slice(0, doc.offsetAt(selection.start)) + code + text.slice(doc.offsetAt(selection.end));
        const uri = vscode.Uri.from({ scheme: this.scheme, path: `/${++this.next}/${doc.uri.path.split("/").pop() || "proposal"}` });
        this.proposals.set(uri.toString(), proposed);
        try {
            await vscode.commands.executeCommand("vscode.diff", doc.uri, uri, `${doc.uri.path.split("/").pop()} ↔ R-Stitch's code`, { preview: true, viewColumn: editor.viewColumn });
            const accepted = await this.confirm("Apply R-Stitch's code to the selection, as the diff shows?");
            if (!accepted) return "code not applied";
            if (doc.version !== version) {
                void vscode.window.showWarningMessage("R-Stitch: the file changed while the diff was open; the code was not applied.");
                return "code not applied (the file changed)";
            }
            const edit = new vscode.WorkspaceEdit();
            edit.replace(doc.uri, selection, code);
            const ok = await vscode.workspace.applyEdit(edit);
            return ok ? "code applied" : "the editor refused the change";
        } finally {
            await closeDiff(uri).then(undefined, () => undefined);
            this.proposals.delete(uri.toString());
        }
    }

    private noEditor(): string {
        void vscode.window.showInformationMessage("R-Stitch: open a file in the editor first; the code goes where its cursor is.");
        return "no editor for the code";
    }

    dispose(): void {
        this.registration.dispose();
        this.emitter.dispose();
    }
}
