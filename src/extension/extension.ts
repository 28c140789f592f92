/**
 * Entry point of the VS Code extension: wires the chat view, commands, status bar, settings and the
 * model manager together. Activation is cheap: no model (and no node-llama-cpp) is loaded until the
 * first request.
 */
import * as vscode from "vscode";
import { join } from "node:path";
import type { HostStatus, HostToWebview, Turn, WebviewToHost } from "../protocol.ts";
import { setApiKeyCommand } from "./api-key.ts";
import { calibrateModelsCommand } from "./calibrate-command.ts";
import { ChatView, VIEW_ID } from "./chat-view.ts";
import { EDIT_AND_RESEND, registerChatCommands, UNDO_RESEND } from "./chat-commands.ts";
import { ChatStore, JsonFile, type ChatSummary } from "./chat-store.ts";
import { COMMANDS, registerCommands, UNDO_CLEAR } from "./commands.ts";
import { Conversation } from "./conversation.ts";
import type { StitchEvent } from "./decoder.ts";
import { createLog } from "./log.ts";
import { downloadRecommendedModels } from "./model-download.ts";
import { ModelManager } from "./model-manager.ts";
import { Session, type TurnResult } from "./session.ts";
import { readSettings } from "./settings.ts";
import { SettingsMigration, touchesFormerKey } from "./settings-migration.ts";
import { migrateLegacyApiKey, readApiKey } from "./server-api-keys.ts";
import type { SettingsResult } from "./settings-schema.ts";
import { StatusBar } from "./status-bar.ts";
import { exportTraceCommand, openTraceCommand } from "./trace-commands.ts";
import { CodeActions } from "./code-actions.ts";
import { codeRequest, linkToOpen } from "./webview-requests.ts";
import type { LanguageModelChatProvider } from "./lm-api.ts";
import { registerLmProvider } from "./lm-provider.ts";
import type { Shown } from "../turn-counts.ts";

/** What `activate` returns: used by the in-host tests, harmless for anyone else. */
export interface RStitchApi {
    /** The result of the last request that produced a turn. */
    lastResult(): TurnResult | undefined;
    /** Every decoder event of every request, as it happens. */
    onEvent(listener: (e: StitchEvent, turnId: string) => void): vscode.Disposable;
    isBusy(): boolean;
    /** Every message posted to the chat view from now on. */
    onViewMessage(listener: (msg: HostToWebview) => void): vscode.Disposable;
    settings(): SettingsResult;
    conversation(): readonly Turn[];
    status(): HostStatus;
    /** How many model pairs were loaded (test hook for the reload-on-settings-change rule). */
    pairLoads(): number;
    /** What Stop Generation runs, callable from an `onEvent` listener, i.e. at a known token; `shown` as the view's Stop says it. */
    stop(shown?: Shown & { turnId: string }): boolean;
    /** The provider registered with vscode.lm (undefined where the editor has no such API): lets a test cancel in this process, at a known token. */
    languageModel(): LanguageModelChatProvider | undefined;
    /** Resolves once the chat view's page has run its script and said `ready`. */
    viewReady(): Promise<void>;
    /** The current chat's id and the saved chats as a restart would read them (after saving now, unless `save` is false). */
    savedChats(save?: boolean): Promise<{ dir: string; current: string; chats: ChatSummary[]; problem?: string; turns(id: string): Turn[] | string }>;
    /** Runs the settings move now; resolves when it is done, with the former keys a move failed for. */
    migrateSettings(): Promise<string[]>;
}

let teardown: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): RStitchApi {
    const log = createLog();
    log.info(`R-Stitch activated (VS Code ${vscode.version}, ${vscode.env.appName}).`);
    // Saved chats: an index and one file per chat in the global storage folder (chat-store.ts).
    const chatsDir = join(context.globalStorageUri.fsPath, "chats");
    const openStore = () => new ChatStore(new JsonFile(join(chatsDir, "index.json")), chatsDir);
    const conversation = new Conversation(openStore(), context.workspaceState);
    for (const problem of conversation.problems) {
        log.warn(`Saved chats: ${problem}.`);
        void vscode.window.showWarningMessage(`R-Stitch: ${problem}.`);
    }
    // The key of the server in use; a key stored the old global way first moves to that (the configured) server.
    const models = new ModelManager(log, async (url) => {
        const moved = await migrateLegacyApiKey(context.secrets, url);
        if (moved) log.info(`The LLM server API key stored for every server is now stored for ${moved} only.`);
        return readApiKey(context.secrets, url);
    });
    const statusBar = new StatusBar();
    const migration = new SettingsMigration(log);

    let markViewReady: () => void = () => undefined;
    const viewReady = new Promise<void>((resolve) => (markViewReady = resolve));

    // Messages arrive only after the view is resolved, by which time `s` exists.
    const view = new ChatView(context.extensionUri, (msg) => onWebviewMessage(msg));
    // Calibrate Models writes each pair's calibration here; router/budget routing looks here first.
    const calibrationsDir = join(context.globalStorageUri.fsPath, "calibrations");
    const s = new Session(context.extensionUri.fsPath, models, conversation, view, statusBar, log, calibrationsDir);

    const codeActions = new CodeActions();

    function onWebviewMessage(msg: WebviewToHost): void {
        switch (msg.type) {
            case "ready":
                markViewReady();
                view.post({ type: "init", turns: conversation.all(), status: s.status() });
                break;
            case "send":
                if (msg.prompt.trim()) void s.run({ kind: "solve", prompt: msg.prompt.trim() });
                break;
            case "stop":
                s.stop(msg.turnId !== undefined && msg.tokens !== undefined && msg.switches !== undefined ? { turnId: msg.turnId, tokens: msg.tokens, switches: msg.switches } : undefined);
                break;
            case "clear":
                void vscode.commands.executeCommand(COMMANDS.clearConversation);
                break;
            case "newChat":
                void vscode.commands.executeCommand(COMMANDS.newChat);
                break;
            case "showChats":
                void vscode.commands.executeCommand(COMMANDS.showChats);
                break;
            case "regenerate":
                void vscode.commands.executeCommand(COMMANDS.regenerate, msg.turnId);
                break;
            case "resend":
                void vscode.commands.executeCommand(EDIT_AND_RESEND, msg.turnId, msg.prompt);
                break;
            case "undoResend":
                void vscode.commands.executeCommand(UNDO_RESEND);
                break;
            case "undoClear":
                void vscode.commands.executeCommand(UNDO_CLEAR);
                break;
            case "chooseModels":
                void vscode.commands.executeCommand(COMMANDS.chooseModels);
                break;
            case "downloadModels":
                void vscode.commands.executeCommand(COMMANDS.downloadModels);
                break;
            case "showLog":
                void vscode.commands.executeCommand(COMMANDS.showLog);
                break;
            case "viewProblem":
                log.warn(String(msg.message).slice(0, 500));
                break;
            case "exportTrace":
                void vscode.commands.executeCommand(COMMANDS.exportTrace, msg.turnId);
                break;
            case "openLink": {
                // Only http(s) and mailto; VS Code asks before opening a domain the user has not trusted.
                const url = linkToOpen(msg);
                if (url) void vscode.env.openExternal(vscode.Uri.parse(url, true));
                else log.warn("The view asked to open a link that is not http(s) or mailto; ignored.");
                break;
            }
            case "codeAction": {
                const req = codeRequest(msg);
                if (!req) {
                    log.warn("The view sent a malformed code request; ignored.");
                    break;
                }
                void codeActions.run(req).then((said) => vscode.window.setStatusBarMessage(`R-Stitch: ${said}`, 3000), (e) => log.warn(`Code action failed: ${e instanceof Error ? e.message : String(e)}`));
                break;
            }
            case "copy": {
                const turn = conversation.get(msg.turnId);
                if (!turn) break;
                const text = msg.part === "answer" && turn.answer ? turn.answer : turn.tokens.map((t) => t[0]).join("");
                void vscode.env.clipboard.writeText(text).then(() => vscode.window.setStatusBarMessage("R-Stitch: copied", 2000));
                break;
            }
        }
    }

    const lm = registerLmProvider({ session: s, models, extensionRoot: context.extensionUri.fsPath, version: String(context.extension?.packageJSON?.version ?? "0"), log });
    context.subscriptions.push(
        log,
        codeActions,
        statusBar,
        view,
        s,
        vscode.window.registerWebviewViewProvider(VIEW_ID, view, { webviewOptions: { retainContextWhenHidden: true } }),
        vscode.workspace.onDidChangeConfiguration((e) => {
            if (touchesFormerKey(e)) void migration.run();
            if (e.affectsConfiguration("rstitch")) void s.settingsChanged();
        }),
        // Trust granted: the workspace's own model paths and server now count (and may move keys).
        vscode.workspace.onDidGrantWorkspaceTrust(() => {
            log.info("Workspace trusted: its R-Stitch settings are used from now on.");
            void migration.run();
            void s.settingsChanged();
        }),
        ...registerCommands({ session: s, view, conversation, log, picker: { storageDir: context.globalStorageUri.fsPath, memory: context.globalState } }),
        ...registerChatCommands({ session: s, view, conversation, log }),
        ...lm.disposables,
        vscode.commands.registerCommand(COMMANDS.downloadModels, (pairId?: unknown) => downloadRecommendedModels(context.globalStorageUri.fsPath, log, pairId)),
        vscode.commands.registerCommand(COMMANDS.exportTrace, exportTraceCommand({ session: s, view, conversation, log })),
        vscode.commands.registerCommand(COMMANDS.openTrace, openTraceCommand({ session: s, view, conversation, log })),
        vscode.commands.registerCommand(COMMANDS.calibrateModels, calibrateModelsCommand({ session: s, extensionRoot: context.extensionUri.fsPath, calibrationsDir, log })),
        vscode.commands.registerCommand(COMMANDS.setLlmServerApiKey, async () => {
            if (await setApiKeyCommand(context.secrets, readSettings().settings.llmServerUrl)) await models.apiKeyChanged();
        }),
    );
    void vscode.commands.executeCommand("setContext", "rstitch.running", false);
    void migration.run();
    void s.settingsChanged();

    teardown = async () => {
        s.stop();
        await conversation.save().catch(() => undefined);
        await models.dispose();
    };

    return {
        lastResult: () => s.lastResult(),
        onEvent: (listener) => s.onEvent(listener),
        isBusy: () => s.busy,
        onViewMessage: (listener) => view.watch(listener),
        settings: () => readSettings(),
        conversation: () => conversation.all(),
        status: () => s.status(),
        pairLoads: () => models.loads,
        stop: (shown) => s.stop(shown),
        languageModel: () => lm.provider,
        viewReady: () => viewReady,
        savedChats: async (save = true) => {
            if (save) await conversation.save();
            // A fresh store over the same places: what the next window or restart reads.
            const store = openStore();
            const turns = (id: string) => {
                const read = store.read(id);
                return "turns" in read ? read.turns : read.problem;
            };
            return { dir: chatsDir, current: conversation.chatId, ...store.list(), turns };
        },
        migrateSettings: async () => {
            await migration.run();
            return migration.unmoved();
        },
    };
}

export async function deactivate(): Promise<void> {
    await teardown?.();
    teardown = undefined;
}
