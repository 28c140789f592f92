/**
 * The chat webview: renders host messages (src/protocol.ts) into the page and sends the user's
 * actions back. Keeps its state with `vscode.setState` so a reload repaints at once; the host's
 * `init` message then brings the authoritative conversation.
 */
import "./main.css";
import type { HostToWebview, TokenTuple, WebviewToHost } from "../src/protocol.ts";
import { announcement } from "./announce.ts";
import { clampText } from "./clamp.ts";
import { ChatModel, type SavedState } from "./model.ts";
import { TurnView } from "./render.ts";
import { registerToolkit } from "./toolkit.ts";
import { checkHostMessage, describeRefused } from "./validate.ts";

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
const pickerEl = byId<HTMLElement>("model-picker");
const announcerEl = byId<HTMLElement>("announcer");

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

function busy(): boolean {
    const s = model.status;
    return s?.state === "running" || s?.state === "loading" || model.running !== undefined;
}

// A broken model path is said where "Ready" would be, with its fix one click away.
const fixEl = document.createElement("vscode-button");
fixEl.id = "fix-models";
fixEl.setAttribute("appearance", "secondary");
fixEl.textContent = "Choose Models…";
fixEl.hidden = true;
fixEl.addEventListener("click", () => post({ type: "chooseModels" }));
statusEl.after(fixEl);

function renderStatus(): void {
    const s = model.status;
    const running = busy();
    const problem = s?.state === "idle" ? s.problem : undefined;
    // The header's model button names the pair; the status line names it only where there is no button text.
    statusEl.textContent = s ? `${problem ? `⚠ ${problem}` : STATUS_TEXT[s.state]}${s.pair ? "" : ` · ${s.models}`}` : "";
    renderPicker();
    statusEl.classList.toggle("problem", problem !== undefined);
    fixEl.hidden = problem === undefined;
    const waiting = model.running;
    if (waiting) views.get(waiting.id)?.setLoading(s?.state === "loading");
    statusEl.title = s?.lastTokensPerSecond ? `Last answer: ${s.lastTokensPerSecond.toFixed(1)} tokens/s` : "";
    setDisabled(stopEl, !running);
    // One question at a time: Send waits for the answer (the host would refuse it anyway).
    setDisabled(sendEl, running);
}

/** The header's model picker: the configured pair in a few words; its click opens the host's list. */
function renderPicker(): void {
    const s = model.status;
    const name = s?.pair ?? s?.models ?? "";
    pickerEl.querySelector(".picker-label")!.textContent = name;
    pickerEl.setAttribute("aria-label", name ? `Models: ${name}. Choose models` : "Choose models");
    pickerEl.title = s ? `${s.models}${s.llmRemote ? ` (LLM on ${s.llmRemote})` : ""} — choose models…` : "Choose models…";
    // The notes under the demo pair's answers offer real models only while the demo pair is in use.
    document.body.classList.toggle("demo-pair", s?.demo === true);
}

function setDisabled(button: HTMLElement, disabled: boolean): void {
    if (disabled) button.setAttribute("disabled", "");
    else button.removeAttribute("disabled");
}

// After Clear: "Conversation cleared · Undo" for a few seconds (the host keeps the turns that long).
const UNDO_CLEAR_MS = 10_000;
let undoTimer: ReturnType<typeof setTimeout> | undefined;

function renderUndoClear(): void {
    noticeEl.hidden = false;
    noticeEl.className = "notice info cleared";
    const undo = document.createElement("vscode-button");
    undo.id = "undo-clear";
    undo.setAttribute("appearance", "secondary");
    undo.textContent = "Undo";
    undo.addEventListener("click", () => {
        model.undoClear = false;
        post({ type: "undoClear" });
        renderNotice();
    });
    const text = document.createElement("span");
    text.className = "notice-text";
    text.textContent = "Conversation cleared.";
    noticeEl.replaceChildren(text, undo);
    clearTimeout(undoTimer);
    undoTimer = setTimeout(() => {
        model.undoClear = false;
        renderNotice();
    }, UNDO_CLEAR_MS);
}

function renderNotice(): void {
    if (model.undoClear) return renderUndoClear();
    const n = model.notice;
    noticeEl.hidden = !n;
    noticeEl.className = `notice ${n?.level ?? ""}`;
    if (!n) return noticeEl.replaceChildren();
    const { text, clipped } = clampText(n.message);
    const textEl = document.createElement("span");
    textEl.className = "notice-text";
    textEl.textContent = text;
    noticeEl.replaceChildren(textEl);
    if (clipped || n.level === "error") noticeEl.append(showLogButton(clipped ? "Show Log (whole message)" : "Show Log"));
}

/** The whole text of a clipped notice or error, and the details of a failure, are in the log. */
function showLogButton(text: string): HTMLElement {
    const b = document.createElement("vscode-button");
    b.className = "show-log";
    b.setAttribute("appearance", "secondary");
    b.textContent = text;
    b.addEventListener("click", () => post({ type: "showLog" }));
    return b;
}

function isNearBottom(): boolean {
    return conversationEl.scrollHeight - conversationEl.scrollTop - conversationEl.clientHeight < 40;
}

// "Show tokens": the raw token stream instead of rendered markdown, for every turn.
const showTokensEl = document.createElement("label");
showTokensEl.className = "show-tokens";
showTokensEl.title = "Show the raw token stream instead of rendered markdown";
const showTokensBox = document.createElement("input");
showTokensBox.type = "checkbox";
showTokensBox.id = "show-tokens";
showTokensBox.checked = model.showTokens;
showTokensEl.append(showTokensBox, "Show tokens");
document.querySelector(".bar .legend")?.after(showTokensEl);
showTokensBox.addEventListener("change", () => {
    model.showTokens = showTokensBox.checked;
    for (const v of views.values()) v.setShowTokens(model.showTokens);
    saveSoon();
});

function renderAll(): void {
    unpainted.clear();
    for (const v of views.values()) v.root.remove();
    views.clear();
    for (const turn of model.turns) addTurnView(turn);
    emptyEl.hidden = model.turns.length > 0;
    renderStatus();
    renderNotice();
    conversationEl.scrollTop = conversationEl.scrollHeight;
}

function addTurnView(turn: ChatModel["turns"][number]): TurnView {
    const v = new TurnView(turn, {
        copy: (turnId, part) => post({ type: "copy", turnId, part }),
        showLog: () => post({ type: "showLog" }),
        exportTrace: (turnId) => post({ type: "exportTrace", turnId }),
        chooseModels: () => post({ type: "chooseModels" }),
        downloadModels: () => post({ type: "downloadModels" }),
        openLink: (url) => post({ type: "openLink", url }),
        codeAction: (action, code, language) => post({ type: "codeAction", action, code, ...(language ? { language } : {}) }),
    }, model.showTokens);
    views.set(turn.id, v);
    conversationEl.append(v.root);
    return v;
}

// Token batches are painted once per frame, however many messages arrive in between: the view keeps
// up with a fast decoder, and Stop can drop what is queued before it is ever painted.
const unpainted = new Map<string, TokenTuple[]>();
let frame = 0;

function paintSoon(turnId: string, tokens: readonly TokenTuple[]): void {
    let queue = unpainted.get(turnId);
    if (!queue) unpainted.set(turnId, (queue = []));
    for (const t of tokens) queue.push(t);
    frame ||= requestAnimationFrame(paint);
}

function paint(): void {
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
    if (unpainted.size === 0) return;
    const stick = isNearBottom();
    for (const [turnId, tokens] of unpainted) views.get(turnId)?.appendTokens(tokens);
    unpainted.clear();
    if (stick) conversationEl.scrollTop = conversationEl.scrollHeight;
}

function onHostMessage(msg: HostToWebview): void {
    // Anything else than more tokens is shown in order after the tokens before it.
    if (msg.type !== "tokens") paint();
    // Token batches scroll when they are painted; reading the layout here for each would force one.
    const stick = msg.type !== "tokens" && msg.type !== "revealTurn" && isNearBottom();
    const turn = model.apply(msg);
    announce(announcement(msg, turn));
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
            // The model refuses tokens for a turn the user stopped: those are never painted.
            if (turn) paintSoon(msg.turnId, msg.tokens);
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
        case "noticeCleared":
            renderNotice();
            break;
        case "focusInput":
            focusPrompt();
            break;
        case "revealTurn": {
            const root = turn ? views.get(turn.id)?.root : undefined;
            if (root) {
                root.scrollIntoView({ block: "start" });
                root.classList.add("revealed");
                root.addEventListener("animationend", () => root.classList.remove("revealed"), { once: true });
            }
            break;
        }
        case "restorePrompt":
            if (promptEl.value !== model.draft) {
                promptEl.value = model.draft;
                promptEl.focus();
                // Selected, so what the user types next replaces it instead of being glued onto it.
                promptEl.select();
            }
            break;
    }
    if (stick) conversationEl.scrollTop = conversationEl.scrollHeight;
    saveSoon();
}

function send(): void {
    const prompt = promptEl.value.trim();
    if (!prompt || busy()) return;
    post({ type: "send", prompt });
    // The host gives the text back (restorePrompt) if the request is refused or fails.
    promptEl.value = "";
    model.draft = "";
    saveSoon();
    focusPrompt();
}

/** The boundary: a malformed host message is logged and dropped; a failure while showing one repaints. */
function receive(data: unknown): void {
    const checked = checkHostMessage(data);
    if (!checked.ok) {
        const line = describeRefused(data, checked.reason);
        console.warn(line);
        post({ type: "viewProblem", message: line });
        return;
    }
    try {
        onHostMessage(checked.msg);
    } catch (e) {
        const line = `R-Stitch view: showing a "${checked.msg.type}" message failed (${e instanceof Error ? e.message : String(e)}); repainted from the conversation`;
        console.warn(line);
        post({ type: "viewProblem", message: line });
        try {
            renderAll();
        } catch {
            // Nothing more to do here: the next `init` brings the whole conversation again.
        }
    }
}

/** Stop: nothing more is printed from this moment; what was already received is painted once. */
function stop(): void {
    const turn = model.stopRunning();
    if (turn) paint();
    post({ type: "stop" });
    focusPrompt();
}

/** Says one line through the view's live region (turn start, end, errors; never tokens). */
function announce(text: string): void {
    if (!text) return;
    // Emptied first, so the same sentence twice (two equal answers) is spoken twice.
    announcerEl.textContent = "";
    setTimeout(() => {
        announcerEl.textContent = text;
    }, 50);
}

/** The keyboard goes to the question box, the caret after what is there (unless it is there already). */
function focusPrompt(): void {
    if (document.activeElement === promptEl) return;
    promptEl.focus();
    const end = promptEl.value.length;
    promptEl.setSelectionRange(end, end);
}

// "Focus on Chat View" (and R-Stitch: Focus Chat Input) focus the page, whose body then holds the
// focus: hand it to the question box, unless a click (say, to select text) brought the focus here.
let pointerAt = 0;
document.addEventListener("pointerdown", () => (pointerAt = Date.now()), true);
const bodyHoldsFocus = (): boolean => document.activeElement === document.body || !document.activeElement;
window.addEventListener("focus", () => {
    // Checked again a little later: VS Code's webview host settles focus in steps (and polls it every
    // 250 ms), so on a busy machine the body can end up holding it after the first look.
    for (const delay of [0, 150, 400]) {
        setTimeout(() => {
            // Later looks only while the view still has the focus: never pull it back from elsewhere.
            if (Date.now() - pointerAt > 500 && (delay === 0 || document.hasFocus()) && bodyHoldsFocus()) focusPrompt();
        }, delay);
    }
});
// A key typed while the body holds the focus is the start of a question: it goes to the box, not away.
document.addEventListener("keydown", (e) => {
    const typing = e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey && !e.isComposing;
    if (typing && bodyHoldsFocus()) focusPrompt();
});

window.addEventListener("message", (e: MessageEvent<unknown>) => receive(e.data));
sendEl.addEventListener("click", send);
stopEl.addEventListener("click", stop);
document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && busy()) {
        e.preventDefault();
        stop();
    }
});
clearEl.addEventListener("click", () => {
    post({ type: "clear" });
    focusPrompt();
});
pickerEl.addEventListener("click", () => post({ type: "chooseModels" }));
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
if (document.hasFocus()) focusPrompt();
