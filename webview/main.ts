/**
 * The chat webview: renders host messages (src/protocol.ts) into the page and sends the user's
 * actions back. Keeps its state with `vscode.setState` so a reload repaints at once; the host's
 * `init` message then brings the authoritative conversation.
 */
import "./main.css";
import type { HostToWebview, WebviewToHost } from "../src/protocol.ts";
import { ChatModel, type SavedState } from "./model.ts";
import { TurnView } from "./render.ts";
import { registerToolkit } from "./toolkit.ts";

interface VsCodeApi {
    postMessage(msg: WebviewToHost): void;
    getState(): Partial<SavedState> | undefined;
    setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

registerToolkit();
const vscode = acquireVsCodeApi();
const model = new ChatModel(vscode.getState());
const views = new Map<string, TurnView>();

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const conversationEl = byId<HTMLElement>("conversation");
const emptyEl = byId<HTMLElement>("empty");
const statusEl = byId<HTMLElement>("status");
const noticeEl = byId<HTMLElement>("notice");
const promptEl = byId<HTMLTextAreaElement>("prompt");
const sendEl = byId<HTMLElement>("send");
const stopEl = byId<HTMLElement>("stop");
const clearEl = byId<HTMLElement>("clear");
const modelsEl = byId<HTMLElement>("models");

const post = (msg: WebviewToHost) => vscode.postMessage(msg);

// Saving the whole conversation on every token batch would be wasteful: save at most twice a second.
let saveTimer: ReturnType<typeof setTimeout> | undefined;
function saveSoon(): void {
    saveTimer ??= setTimeout(() => {
        saveTimer = undefined;
        vscode.setState(model.saved());
    }, 500);
}

const STATUS_TEXT = { idle: "Ready", loading: "Loading models…", running: "Answering…" } as const;

function renderStatus(): void {
    const s = model.status;
    const running = s?.state === "running" || s?.state === "loading" || model.running !== undefined;
    statusEl.textContent = s ? `${STATUS_TEXT[s.state]} · ${s.models}` : "";
    statusEl.title = s?.lastTokensPerSecond !== undefined ? `Last answer: ${s.lastTokensPerSecond.toFixed(1)} tokens/s` : "";
    setDisabled(stopEl, !running);
}

function setDisabled(button: HTMLElement, disabled: boolean): void {
    if (disabled) button.setAttribute("disabled", "");
    else button.removeAttribute("disabled");
}

function renderNotice(): void {
    const n = model.notice;
    noticeEl.hidden = !n;
    noticeEl.className = `notice ${n?.level ?? ""}`;
    noticeEl.textContent = n?.message ?? "";
}

function isNearBottom(): boolean {
    return conversationEl.scrollHeight - conversationEl.scrollTop - conversationEl.clientHeight < 40;
}

function renderAll(): void {
    for (const v of views.values()) v.root.remove();
    views.clear();
    for (const turn of model.turns) addTurnView(turn);
    emptyEl.hidden = model.turns.length > 0;
    renderStatus();
    renderNotice();
    conversationEl.scrollTop = conversationEl.scrollHeight;
}

function addTurnView(turn: ChatModel["turns"][number]): TurnView {
    const v = new TurnView(turn, { copy: (turnId, part) => post({ type: "copy", turnId, part }) });
    views.set(turn.id, v);
    conversationEl.append(v.root);
    return v;
}

function onHostMessage(msg: HostToWebview): void {
    const stick = isNearBottom();
    const turn = model.apply(msg);
    switch (msg.type) {
        case "init":
        case "cleared":
            renderAll();
            break;
        case "turnStart":
            if (turn) addTurnView(turn);
            emptyEl.hidden = true;
            renderNotice();
            renderStatus();
            break;
        case "tokens":
            views.get(msg.turnId)?.appendTokens(msg.tokens);
            break;
        case "turnDone":
        case "turnError":
            if (turn) views.get(turn.id)?.update(turn);
            renderStatus();
            break;
        case "status":
            renderStatus();
            break;
        case "notice":
            renderNotice();
            break;
        case "restorePrompt":
            if (promptEl.value !== model.draft) {
                promptEl.value = model.draft;
                promptEl.focus();
            }
            break;
    }
    if (stick) conversationEl.scrollTop = conversationEl.scrollHeight;
    saveSoon();
}

function send(): void {
    const prompt = promptEl.value.trim();
    if (!prompt) return;
    post({ type: "send", prompt });
    // The host gives the text back (restorePrompt) if the request is refused or fails.
    promptEl.value = "";
    model.draft = "";
    saveSoon();
}

window.addEventListener("message", (e: MessageEvent<HostToWebview>) => {
    if (e.data && typeof e.data === "object" && "type" in e.data) onHostMessage(e.data);
});
sendEl.addEventListener("click", send);
stopEl.addEventListener("click", () => post({ type: "stop" }));
clearEl.addEventListener("click", () => post({ type: "clear" }));
modelsEl.addEventListener("click", () => post({ type: "chooseModels" }));
promptEl.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        send();
    }
});
promptEl.addEventListener("input", () => {
    model.draft = promptEl.value;
    saveSoon();
});

promptEl.value = model.draft;
renderAll();
post({ type: "ready" });
