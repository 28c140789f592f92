/**
 * The sidebar chat view (`rstitch.chat`): serves the webview page with a strict CSP, and carries the
 * typed messages of src/protocol.ts both ways (those from the view checked on arrival). Holds no conversation state of its own.
 */
import * as vscode from "vscode";
import { randomBytes } from "node:crypto";
import type { HostToWebview, WebviewToHost } from "../protocol.ts";
import { checkViewMessage } from "./view-message.ts";
import { webviewHtml } from "./webview-html.ts";

export const VIEW_ID = "rstitch.chat";

export class ChatView implements vscode.WebviewViewProvider, vscode.Disposable {
    private view: vscode.WebviewView | undefined;
    private readonly disposables: vscode.Disposable[] = [];
    private readonly assetsRoot: vscode.Uri;
    /** The current chat's title, shown beside the view's name. */
    private description = "";
    /** Test hook: sees every message posted to the view. */
    private readonly watchers = new Set<(msg: HostToWebview) => void>();

    constructor(
        extensionUri: vscode.Uri,
        private readonly onMessage: (msg: WebviewToHost) => void,
    ) {
        this.assetsRoot = vscode.Uri.joinPath(extensionUri, "dist", "webview");
    }

    get visible(): boolean {
        return this.view?.visible ?? false;
    }

    resolveWebviewView(view: vscode.WebviewView): void {
        this.view = view;
        view.webview.options = { enableScripts: true, localResourceRoots: [this.assetsRoot] };
        view.webview.html = this.html(view.webview);
        view.description = this.description;
        this.disposables.push(
            view.webview.onDidReceiveMessage((data: unknown) => this.onMessage(checkViewMessage(data))),
            view.onDidDispose(() => {
                if (this.view === view) this.view = undefined;
            }),
        );
    }

    /** Posts to the webview if it exists; when it does not, it asks for the full state on `ready`. */
    post(msg: HostToWebview): void {
        for (const w of this.watchers) w(msg);
        void this.view?.webview.postMessage(msg).then(undefined, () => undefined);
    }

    /** Names the current chat beside the view's title ("" for a new, empty chat). */
    describe(title: string): void {
        this.description = title;
        if (this.view) this.view.description = title;
    }

    /** Every message posted from now on (the in-host tests read what the view was told). */
    watch(watcher: (msg: HostToWebview) => void): vscode.Disposable {
        this.watchers.add(watcher);
        return new vscode.Disposable(() => this.watchers.delete(watcher));
    }

    /** Reveals the panel (resolving the webview if it was never shown). */
    async reveal(): Promise<void> {
        if (this.view) this.view.show(true);
        else await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    }

    /**
     * Shows the view with the keyboard in its question box. The view's own focus command moves the
     * focus into the page (which hands it to the box); the message covers a page that had it already.
     */
    async focusInput(): Promise<void> {
        await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
        this.post({ type: "focusInput" });
    }

    dispose(): void {
        for (const d of this.disposables) d.dispose();
    }

    private html(webview: vscode.Webview): string {
        return webviewHtml({
            cspSource: webview.cspSource,
            nonce: randomBytes(16).toString("base64"),
            scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.assetsRoot, "main.js")).toString(),
            styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.assetsRoot, "main.css")).toString(),
        });
    }
}
