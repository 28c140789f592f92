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
import { Recall } from "./recall.ts";
import { registerToolkit } from "./toolkit.ts";
import { addTurnControls, syncTurnControls } from "./turn-controls.ts";
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
const recall = new Recall(() => model.sent);

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
    syncControls();
}

/** Regenerate on the last turn only; Edit and Regenerate wait while an answer is written. */
function syncControls(): void {
    syncTurnControls(conversationEl, model.turns.at(-1)?.id, busy());
    for (const v of views.values()) v.syncStops();
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

/**
 * "<what was done> · Undo": after Clear for a few seconds; after an edit and resend until the next
 * question (the new answer may take longer than a few seconds, and Undo is judged after reading it).
 */
function renderUndo(id: string, said: string, undone: () => void, ms?: number): void {
    noticeEl.hidden = false;
    noticeEl.className = "notice info cleared";
    const undo = document.createElement("vscode-button");
    undo.id = id;
    undo.setAttribute("appearance", "secondary");
    undo.textContent = "Undo";
    undo.addEventListener("click", () => {
        undone();
        renderNotice();
        focusPrompt();
    });
    const text = document.createElement("span");
    text.className = "notice-text";
    text.textContent = said;
    noticeEl.replaceChildren(text, undo);
    clearTimeout(undoTimer);
    if (ms === undefined) return;
    undoTimer = setTimeout(() => {
        model.undoClear = false;
        renderNotice();
    }, ms);
}

function renderNotice(): void {
    if (model.undoClear) {
        return renderUndo("undo-clear", "Conversation cleared.", () => {
            model.undoClear = false;
            post({ type: "undoClear" });
        }, UNDO_CLEAR_MS);
    }
    if (model.undoResend !== undefined) {
        return renderUndo("undo-resend", model.undoResend, () => {
            model.undoResend = undefined;
            post({ type: "undoResend" });
        });
    }
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
        timelineToggled: (open) => {
            // One choice for every turn, remembered across reloads.
            model.timelineOpen = open;
            for (const other of views.values()) other.setTimelineOpen(open);
            saveSoon();
        },
    }, model.showTokens, model.timelineOpen);
    addTurnControls(v, turn, { edit: startEdit, regenerate: (turnId) => post({ type: "regenerate", turnId }) });
    if (editing?.turnId === turn.id) v.root.classList.add("edited");
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
            // Another chat, or the edited turn is gone: the edit ends (what the box holds stays).
            if (editing && !model.find(editing.turnId)) endEdit(false);
            renderAll();
            break;
        case "turnStart":
            if (turn) {
                addTurnView(turn);
                revealNew(turn);
            }
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
        case "undoOffer":
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

/**
 * A new turn is brought into view, however far up the user had scrolled: after Send the question
 * and the start of its answer show. One asked in VS Code's chat does not move the panel.
 */
function revealNew(turn: { askedIn?: string }): void {
    // At the bottom, the answer then streams in view: paint() follows it while the user stays there.
    if (turn.askedIn === undefined) conversationEl.scrollTop = conversationEl.scrollHeight;
}

function send(): void {
    const prompt = promptEl.value.trim();
    if (!prompt || busy()) return;
    const edited = editing && model.find(editing.turnId) ? editing.turnId : undefined;
    if (edited) post({ type: "resend", turnId: edited, prompt });
    else post({ type: "send", prompt });
    model.remember(prompt);
    recall.reset();
    endEdit(false);
    // The host gives the text back (restorePrompt) if the request is refused or fails.
    promptEl.value = "";
    model.draft = "";
    saveSoon();
    focusPrompt();
}

// Edit: an earlier question goes back into the box; Send replaces it and the turns after it.
let editing: { turnId: string; draft: string } | undefined;
const editingEl = document.createElement("div");
editingEl.id = "editing";
editingEl.className = "editing";
editingEl.hidden = true;
const editingText = document.createElement("span");
editingText.className = "editing-text";
const cancelEditEl = document.createElement("vscode-button");
cancelEditEl.id = "cancel-edit";
cancelEditEl.setAttribute("appearance", "secondary");
cancelEditEl.title = "Cancel the edit (Escape)";
cancelEditEl.textContent = "Cancel";
cancelEditEl.addEventListener("click", () => endEdit(true));
editingEl.append(editingText, cancelEditEl);
promptEl.before(editingEl);

function startEdit(turn: ChatModel["turns"][number]): void {
    if (busy()) return;
    const later = model.turns.length - 1 - model.turns.findIndex((t) => t.id === turn.id);
    if (editing) views.get(editing.turnId)?.root.classList.remove("edited");
    editing = { turnId: turn.id, draft: editing?.draft ?? promptEl.value };
    views.get(turn.id)?.root.classList.add("edited");
    editingText.textContent = `Editing a question. Send replaces it${later > 0 ? ` and the ${later} turn${later === 1 ? "" : "s"} after it` : " and its answer"} (Undo brings ${later > 0 ? "them" : "it"} back).`;
    editingEl.hidden = false;
    promptEl.value = turn.prompt;
    promptEl.setAttribute("aria-describedby", "editing");
    promptEl.focus();
    promptEl.select();
}

/** Leaves editing; `restore` (Cancel, Escape) gives the box back what it held before. */
function endEdit(restore: boolean): void {
    if (!editing) return;
    if (restore) {
        promptEl.value = editing.draft;
        model.draft = editing.draft;
        focusPrompt();
    }
    views.get(editing.turnId)?.root.classList.remove("edited");
    editing = undefined;
    editingEl.hidden = true;
    promptEl.removeAttribute("aria-describedby");
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
    // What the view shows of the turn now is what it keeps: the host cuts its record to the same.
    post(turn ? { type: "stop", turnId: turn.id, tokens: turn.tokens.length, switches: turn.switches?.length ?? 0 } : { type: "stop" });
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
    } else if (e.key === "Escape" && editing) {
        e.preventDefault();
        endEdit(true);
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
        return;
    }
    if ((e.key !== "ArrowUp" && e.key !== "ArrowDown") || e.shiftKey || e.altKey || e.ctrlKey || e.metaKey || e.isComposing) return;
    // Up on the first line (Down on the last) walks the sent questions, as in a terminal.
    const value = promptEl.value;
    const caret = promptEl.selectionStart;
    const onEdge = e.key === "ArrowUp" ? !value.slice(0, caret).includes("\n") : !value.slice(promptEl.selectionEnd).includes("\n");
    if (!onEdge || editing) return;
    const next = e.key === "ArrowUp" ? recall.up(value) : recall.down(value);
    if (next === undefined) return;
    e.preventDefault();
    promptEl.value = next;
    promptEl.setSelectionRange(next.length, next.length);
    model.draft = next;
    saveSoon();
});
promptEl.addEventListener("input", () => {
    model.draft = promptEl.value;
    saveSoon();
});

promptEl.value = model.draft;
renderAll();
post({ type: "ready" });
if (document.hasFocus()) focusPrompt();
