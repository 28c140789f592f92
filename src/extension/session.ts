/**
 * Runs one request at a time: loads the pair if needed, streams the decoder's events into the
 * conversation and the chat view (batched), and reports the outcome. Every failure ends here as a
 * message with a way out; nothing the user typed is lost (a failed request gives its text back).
 */
import * as vscode from "vscode";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import type { HostStatus, TokenTuple, Turn, TurnKind, TurnOrigin, TurnSwitch } from "../protocol.ts";
import { keepShown, keptStats, type Shown } from "../turn-counts.ts";
import type { ChatView } from "./chat-view.ts";
import { conversationMessages, type Conversation } from "./conversation.ts";
import { asPairLoadFailure, gpuInUse, gpuOffloadProblem, leftOutNote, splitAnswer, withoutOldestTurns, type ChatMessage, type ModelPair, type StitchEvent, type StitchStats, type StopReason } from "./decoder.ts";
import { demoLimitMessage, demoPairFits, type DemoMisfit } from "./demo-limits.ts";
import { showLoadFailure } from "./load-errors.ts";
import type { Log } from "./log.ts";
import { pairLabel, pairSpec, type ModelManager, type PairSpec } from "./model-manager.ts";
import { pairCalibration } from "./pair-calibration.ts";
import { isDemoPair, pairName } from "./pair-choices.ts";
import { CATALOGUE } from "../models/catalogue.ts";
import { pairProblem } from "./pair-problem.ts";
import { restrictedSettingsSetByWorkspace } from "./restricted-workspace.ts";
import { readSettings, RestrictedModeNotice, SettingsWarnings } from "./settings.ts";
import { settingId } from "./settings-schema.ts";
import type { StatusBar } from "./status-bar.ts";
import { Batcher } from "./token-batcher.ts";

export interface Request {
    kind: TurnKind;
    /** Text sent to the models. */
    prompt: string;
    /** Text shown as the question (defaults to the prompt). */
    display?: string;
    label?: string;
    /** Asked outside the panel: the turn is shown attributed to where it was asked. */
    askedIn?: TurnOrigin;
    /** The conversation before the question (default: the panel's conversation). */
    history?: readonly ChatMessage[];
    system?: string;
    /** Stops this request (like Stop Generation) when it aborts. */
    signal?: AbortSignal;
    /** The turn has started (it is in the conversation and the view). */
    onStart?: (turn: Turn) => void;
    /** The answer's text as it reaches the panel: the pieces joined are the turn's text. */
    onText?: (text: string) => void;
}

/** What a finished request produced; also the test hook's record. */
export interface TurnResult {
    turn: Turn;
    text: string;
    answer: string | null;
    stopReason: StopReason | "error";
    stats?: StitchStats;
    error?: string;
}

/** What streams from the decoder to the conversation and the view: a token with its id, or a hand-over. */
type Streamed = { token: TokenTuple; id: number } | { switch: TurnSwitch };

export type Outcome = { status: "finished"; result: TurnResult } | { status: "refused" | "failed"; reason: string };

export class Session implements vscode.Disposable {
    /** `stopped`: Stop was asked for; `shown`: what the view had shown of the turn then (it keeps that); `job`: not an answer (withPair). */
    private running: { abort: AbortController; turnId?: string; batcher?: Batcher<Streamed>; stopped?: boolean; shown?: Shown; job?: string } | undefined;
    /** Resolves when the request in flight (if any) has ended. */
    private settled: Promise<void> = Promise.resolve();
    private lastTokensPerSecond: number | undefined;
    private loadingModels = false;
    private last: TurnResult | undefined;
    private readonly tokenListeners = new Set<(e: StitchEvent, turnId: string) => void>();
    private readonly warnings: SettingsWarnings;
    private readonly restricted: RestrictedModeNotice;
    /** The last pair load failed, in a few words, and for which pair (it holds while that pair is configured). */
    private loadFailure: { pair: string; short: string } | undefined;
    /** The view shows a load failure's notice: removed once the problem is fixed. */
    private errorNotice = false;
    /** The demo pair's limits were said in a notification once (only ever when the panel was hidden). */
    private demoToastShown = false;

    constructor(
        private readonly extensionRoot: string,
        private readonly models: ModelManager,
        private readonly conversation: Conversation,
        private readonly view: ChatView,
        private readonly statusBar: StatusBar,
        private readonly log: Log,
        /** The extension's calibrations folder (Calibrate Models writes there; routing looks there first). */
        private readonly calibrationsDir: string,
    ) {
        this.warnings = new SettingsWarnings(log);
        this.restricted = new RestrictedModeNotice(log);
    }

    get busy(): boolean {
        return this.running !== undefined;
    }

    lastResult(): TurnResult | undefined {
        return this.last;
    }

    /** Test hook and extension point: every decoder event of every request. */
    onEvent(listener: (e: StitchEvent, turnId: string) => void): vscode.Disposable {
        this.tokenListeners.add(listener);
        return new vscode.Disposable(() => this.tokenListeners.delete(listener));
    }

    status(): HostStatus {
        const settings = readSettings().settings;
        const spec = pairSpec(settings, this.extensionRoot);
        const status: HostStatus = {
            state: this.loadingModels ? "loading" : this.running ? "running" : "idle",
            models: this.models.describeLoaded() ?? pairLabel(spec),
            lastTokensPerSecond: this.lastTokensPerSecond,
            llmRemote: spec.llmServerUrl || undefined,
            pair: pairName(settings, CATALOGUE),
            demo: isDemoPair(settings),
        };
        const problem = this.problem(spec);
        if (problem) status.problem = problem.short;
        return status;
    }

    /** What stops the configured pair from loading, as far as is known without loading it. */
    private problem(spec: PairSpec): { short: string; detail?: string } | undefined {
        const failed = this.loadFailure?.pair === JSON.stringify(spec) ? this.loadFailure : undefined;
        return pairProblem(spec, existsSync) ?? (failed ? { short: failed.short } : undefined);
    }

    /** Pushes the current status to the status bar and the view. */
    refreshStatus(): void {
        const status = this.status();
        const settings = readSettings().settings;
        this.statusBar.update(status, settings.entropyThreshold, this.problem(pairSpec(settings, this.extensionRoot))?.detail);
        this.view.post({ type: "status", status });
        if (this.errorNotice && status.problem === undefined && status.state === "idle") {
            this.errorNotice = false;
            this.view.post({ type: "noticeCleared" });
        }
    }

    /** Called on configuration changes: re-validate (warn once) and free an outdated pair when idle. */
    async settingsChanged(): Promise<void> {
        this.warnings.reset();
        const { settings, warnings } = readSettings();
        this.warnings.report(warnings);
        if (!vscode.workspace.isTrusted) this.restricted.report(await restrictedSettingsSetByWorkspace());
        await this.models.settingsChanged(pairSpec(settings, this.extensionRoot));
        this.refreshStatus();
    }

    /**
     * Why the configured pair cannot answer this request meaningfully, when it is the embedded demo
     * pair and the request is not its task; undefined otherwise. `history`: the conversation before it.
     */
    demoMisfit(kind: Request["kind"], prompt: string, history: readonly ChatMessage[] = conversationMessages(this.conversation.all()), settings = readSettings().settings): DemoMisfit | undefined {
        if (!isDemoPair(settings)) return undefined;
        const previous = [...history].reverse().find((m) => m.role === "assistant");
        const fit = demoPairFits(kind, prompt, { previousAnswer: previous ? splitAnswer(previous.text).answer : undefined });
        return fit.fits ? undefined : fit;
    }

    /** `shown`: the view's Stop says what it had painted of `turnId`, so the turn keeps exactly that. */
    stop(shown?: Shown & { turnId: string }): boolean {
        if (!this.running) return false;
        this.log.info("Stop requested.");
        this.running.stopped = true;
        if (shown && shown.turnId === this.running.turnId) this.running.shown = { tokens: shown.tokens, switches: shown.switches };
        // Tokens not yet sent to the view are dropped: nothing is printed after Stop.
        this.running.batcher?.discard();
        this.running.abort.abort();
        return true;
    }

    /** Stops the answer in flight, if any, and resolves once its turn has ended (before the chat is switched). */
    async stopAndWait(): Promise<void> {
        this.stop();
        await this.settled;
    }

    async run(req: Request): Promise<Outcome> {
        if (this.running) {
            const reason = this.running.job
                ? `R-Stitch is ${this.running.job}. Cancel it or wait for it to finish, then ask again.`
                : "R-Stitch is already answering a question. Stop it (Stop Generation) or wait for it to finish, then ask again.";
            this.log.info(`Refused while busy: ${oneLine(req.display ?? req.prompt)}`);
            this.giveBack(req);
            // A request from VS Code's chat shows the reason there.
            if (req.askedIn) return { status: "refused", reason };
            this.view.post({ type: "notice", level: "warning", message: reason });
            void vscode.window.showWarningMessage(reason, "Stop Generation").then((pick) => {
                if (pick) this.stop();
            });
            return { status: "refused", reason };
        }
        const abort = new AbortController();
        this.running = { abort };
        let settle!: () => void;
        this.settled = new Promise((resolve) => (settle = resolve));
        const running = this.running;
        const stopOnAbort = () => {
            if (this.running === running) this.stop();
        };
        if (req.signal?.aborted) abort.abort();
        req.signal?.addEventListener("abort", stopOnAbort);
        void vscode.commands.executeCommand("setContext", "rstitch.running", true);
        try {
            return await this.runUnguarded(req, abort);
        } catch (err) {
            // Anything unexpected: report, never let it reach the extension host.
            const reason = `R-Stitch failed: ${err instanceof Error ? err.message : String(err)}`;
            this.log.error(reason + (err instanceof Error && err.stack ? `\n${err.stack}` : ""));
            this.giveBack(req);
            void vscode.window.showErrorMessage(reason, "Show Log").then((pick) => {
                if (pick) void vscode.commands.executeCommand("rstitch.showLog");
            });
            return { status: "failed", reason };
        } finally {
            req.signal?.removeEventListener("abort", stopOnAbort);
            this.running = undefined;
            settle();
            this.loadingModels = false;
            void vscode.commands.executeCommand("setContext", "rstitch.running", false);
            this.refreshStatus();
        }
    }

    /**
     * Runs `job` on the pair of `spec`, loaded as a request loads it, while no request can start
     * (Calibrate Models): `job` says what it is doing ("calibrating the models") to a request refused
     * meanwhile; Stop Generation aborts `signal`. Refused while a request runs.
     */
    async withPair<T>(spec: PairSpec, job: string, use: (pair: ModelPair, signal: AbortSignal) => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; reason: string }> {
        if (this.running) return { ok: false, reason: `R-Stitch is ${this.running.job ?? "answering a question"}; try again once it is done.` };
        const abort = new AbortController();
        this.running = { abort, job };
        let settle!: () => void;
        this.settled = new Promise((resolve) => (settle = resolve));
        void vscode.commands.executeCommand("setContext", "rstitch.running", true);
        try {
            this.loadingModels = !this.models.isLoaded(spec);
            this.refreshStatus();
            let pair: ModelPair;
            try {
                pair = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: "R-Stitch: loading models" }, () => this.models.acquire(spec));
            } catch (err) {
                const reason = asPairLoadFailure(err)?.message ?? (err instanceof Error ? err.message : String(err));
                this.log.error(`Loading models failed: ${reason}`);
                return { ok: false, reason };
            } finally {
                this.loadingModels = false;
            }
            try {
                return { ok: true, value: await use(pair, abort.signal) };
            } finally {
                this.models.release();
            }
        } finally {
            this.running = undefined;
            settle();
            void vscode.commands.executeCommand("setContext", "rstitch.running", false);
            this.refreshStatus();
        }
    }

    private async runUnguarded(req: Request, abort: AbortController): Promise<Outcome> {
        const { settings, warnings } = readSettings();
        this.warnings.report(warnings);
        const spec = pairSpec(settings, this.extensionRoot);

        // router/budget routing: the pair's calibration, whose τ the turn shows (else a warning and the entropy rule).
        const routed = pairCalibration(settings.routing, spec.slmPath, spec.llmPath, Boolean(spec.llmServerUrl), this.calibrationsDir);
        if ("warning" in routed) this.warnings.report([routed.warning]);
        const calibrated = "calibration" in routed ? routed.calibration : undefined;

        // The question shows at once, before the models load (the first load takes seconds).
        const turn: Turn = {
            id: randomUUID(),
            kind: req.kind,
            prompt: req.display ?? req.prompt,
            label: req.label,
            ...(req.askedIn ? { askedIn: req.askedIn } : {}),
            mode: settings.mode,
            threshold: calibrated ? calibrated.calibration.router.tau : settings.entropyThreshold,
            models: this.models.isLoaded(spec) ? (this.models.describeLoaded() ?? pairLabel(spec)) : pairLabel(spec),
            tokens: [],
            tokenIds: [],
            switches: [],
            budget: settings.tokenBudget,
            state: "running",
        };
        this.running!.turnId = turn.id;
        // Every request is a new turn of the current chat, asked with the turns before it.
        const history = req.history ?? conversationMessages(this.conversation.all());
        this.conversation.add(turn);
        this.view.post({ type: "turnStart", turn });
        if (req.onStart) safely(() => req.onStart!(turn));
        this.errorNotice = false; // the view drops its notice at turnStart

        let pair;
        const loadsBefore = this.models.loads;
        if (!this.models.isLoaded(spec)) this.loadingModels = true;
        this.refreshStatus();
        try {
            pair = await vscode.window.withProgress(
                { location: vscode.ProgressLocation.Window, title: "R-Stitch: loading models" },
                () => this.models.acquire(spec),
            );
            this.loadFailure = undefined;
        } catch (err) {
            const failure = asPairLoadFailure(err);
            const reason = failure?.message ?? (err instanceof Error ? err.message : String(err));
            this.log.error(`Loading models failed: ${reason}`);
            this.loadFailure = { pair: JSON.stringify(spec), short: LOAD_FAILURE_SHORT[failure?.code ?? "load-failed"] };
            this.failTurn(turn, reason);
            this.giveBack(req);
            this.view.post({ type: "notice", level: "error", message: reason });
            this.errorNotice = true;
            void showLoadFailure(failure ?? { code: "load-failed", message: reason }, spec);
            return { status: "failed", reason };
        } finally {
            this.loadingModels = false;
        }
        if (this.models.loads !== loadsBefore && spec.gpuLayers > 0) await this.reportGpu(spec.gpuLayers);
        if (abort.signal.aborted) {
            this.models.release();
            this.failTurn(turn, "Stopped before the models were ready.");
            this.giveBack(req);
            return { status: "failed", reason: "Stopped before it started." };
        }
        turn.models = this.models.describeLoaded() ?? turn.models;
        this.refreshStatus();
        this.log.info(
            `Solving (${req.kind}, mode ${settings.mode}, τ ${settings.entropyThreshold}, budget ${settings.tokenBudget}, temperature ${settings.temperature}): ${oneLine(req.display ?? req.prompt)}`,
        );

        const batcher = new Batcher<Streamed>((batch) => {
            const tokens: TokenTuple[] = [];
            const ids: number[] = [];
            const switches: TurnSwitch[] = [];
            for (const item of batch) {
                if ("switch" in item) switches.push(item.switch);
                else {
                    tokens.push(item.token);
                    ids.push(item.id);
                }
            }
            this.conversation.appendTokens(turn.id, tokens, ids, switches);
            this.view.post({ type: "tokens", turnId: turn.id, tokens, ...(switches.length ? { switches } : {}) });
            if (req.onText && tokens.length) safely(() => req.onText!(tokens.map((t) => t[0]).join("")));
        }, 30);
        this.running!.batcher = batcher;

        let end: StitchEvent | undefined;
        try {
            const events = pair.solve({
                prompt: req.prompt,
                system: req.system,
                history,
                mode: settings.mode,
                threshold: calibrated ? undefined : settings.entropyThreshold,
                ...(calibrated ? { routing: routed.routing, calibration: calibrated, llmShare: settings.llmShare } : {}),
                budget: settings.tokenBudget,
                temperature: settings.temperature,
                signal: abort.signal,
            });
            // The entropy of the last switch rides on the next token: the view explains each hand-over with it.
            let handover: number | undefined;
            for await (const e of events) {
                for (const l of this.tokenListeners) safely(() => l(e, turn.id));
                if (e.type === "switch" && !abort.signal.aborted) {
                    handover = e.entropy;
                    batcher.push({ switch: { index: e.index, from: e.from, to: e.to, entropy: e.entropy, ...(e.reason ? { reason: e.reason } : {}) } });
                } else if (e.type === "token" && !abort.signal.aborted) {
                    batcher.push({ token: handover === undefined ? [e.text, e.source, e.entropy] : [e.text, e.source, e.entropy, handover], id: e.id });
                    handover = undefined;
                } else if (e.type === "done" || e.type === "error") end = e;
            }
        } catch (err) {
            end = { type: "error", message: err instanceof Error ? err.message : String(err) };
        } finally {
            batcher.flush();
            this.models.release();
        }
        end ??= { type: "error", message: "The decoder ended without a result." };
        if (end.type === "done" && this.running?.stopped) end = this.stoppedEnd(turn, end, this.running.shown);
        if (end.type === "done") {
            const prompt = end.stats.prompt;
            turn.messages = [...withoutOldestTurns(history, prompt?.turnsLeftOut ?? 0), { role: "user", text: req.prompt }];
            const note = leftOutNote(prompt);
            if (note) this.log.info(`${note}.`);
        }
        // The demo pair answered outside its task: a note under this answer (kept with the turn).
        const misfit = end.type === "done" ? this.demoMisfit(req.kind, req.prompt, history, settings) : undefined;
        if (misfit) turn.demoNote = demoLimitMessage(misfit, true);
        const result = this.finish(turn, end, req);
        if (turn.demoNote) this.toldOutsideDemo(turn.demoNote);
        return { status: "finished", result };
    }

    /**
     * A stopped answer keeps what the view showed (the decoder wrote on until it saw the Stop, and
     * tokens in flight were dropped), and its text and counts are those of what it kept.
     */
    private stoppedEnd(turn: Turn, end: Extract<StitchEvent, { type: "done" }>, shown: Shown | undefined): Extract<StitchEvent, { type: "done" }> {
        if (shown) keepShown(turn, shown);
        const stats = keptStats(end.stats, turn.tokens, turn.switches ?? []);
        if (stats.totalTokens !== end.stats.totalTokens) this.log.info(`Stopped: ${stats.totalTokens} tokens kept as shown (the decoder wrote ${end.stats.totalTokens}).`);
        return { ...end, text: turn.tokens.map((t) => t[0]).join(""), stats };
    }

    /** GPU layers were asked for: log the backend, or warn (once) that the models run on the CPU. */
    private async reportGpu(gpuLayers: number): Promise<void> {
        const problem = await gpuOffloadProblem(gpuLayers);
        if (problem) this.warnings.report([`${settingId("gpuLayers")}: ${problem}`]);
        else this.log.info(`GPU: ${await gpuInUse(gpuLayers)}, ${gpuLayers} layers offloaded per model.`);
    }

    /**
     * The note is under the answer in the panel. Only when the panel is not showing (a question from
     * VS Code's chat) does a notification say it, and then once per session: never one per answer.
     */
    private toldOutsideDemo(note: string): void {
        this.log.info(note);
        if (this.view.visible || this.demoToastShown) return;
        this.demoToastShown = true;
        const download = "Download Recommended Models…";
        const choose = "Choose Models…";
        void vscode.window.showInformationMessage(`R-Stitch: ${note}`, download, choose).then((pick) => {
            if (pick === download) void vscode.commands.executeCommand("rstitch.downloadModels");
            else if (pick === choose) void vscode.commands.executeCommand("rstitch.chooseModels");
        });
    }

    private finish(turn: Turn, end: StitchEvent, req: Request): TurnResult {
        const text = turn.tokens.map((t) => t[0]).join("");
        if (end.type === "done") {
            const { answer } = splitAnswer(end.text);
            this.conversation.finish(turn.id, answer, end.stopReason, end.stats);
            this.view.post({ type: "turnDone", turnId: turn.id, answer, stopReason: end.stopReason, stats: end.stats, ...(turn.demoNote ? { demoNote: turn.demoNote } : {}) });
            this.lastTokensPerSecond = end.stats.tokensPerSecond;
            const s = end.stats;
            this.log.info(
                `Done (${end.stopReason}): ${s.totalTokens} tokens — SLM ${s.slm.tokens}, LLM ${s.llm.tokens}, ${s.switches} switches, ` +
                    `LLM share ${(s.llmShare * 100).toFixed(1)}%, ${s.tokensPerSecond.toFixed(1)} tokens/s, ${s.wallMs.toFixed(0)} ms.` +
                    (answer !== null ? ` Answer: ${oneLine(answer)}` : " No final answer line."),
            );
            this.last = { turn, text: end.text, answer, stopReason: end.stopReason, stats: end.stats };
        } else {
            const message = end.type === "error" ? end.message : "Unexpected end of the stream.";
            this.conversation.fail(turn.id, message);
            this.view.post({ type: "turnError", turnId: turn.id, message });
            this.log.error(`Decoding failed: ${message}`);
            this.giveBack(req);
            void vscode.window.showErrorMessage(`R-Stitch: ${message}`, "Show Log").then((pick) => {
                if (pick) void vscode.commands.executeCommand("rstitch.showLog");
            });
            this.last = { turn, text, answer: null, stopReason: "error", error: message };
        }
        return this.last;
    }

    /** A turn that ended before its first token (the models did not load, or Stop came first). */
    private failTurn(turn: Turn, message: string): void {
        this.conversation.fail(turn.id, message);
        this.view.post({ type: "turnError", turnId: turn.id, message });
        this.last = { turn, text: "", answer: null, stopReason: "error", error: message };
    }

    /** A request that did not produce an answer returns its text to the input box. */
    private giveBack(req: Request): void {
        if (req.kind === "solve") this.view.post({ type: "restorePrompt", text: req.display ?? req.prompt });
    }

    dispose(): void {
        this.running?.abort.abort();
        this.tokenListeners.clear();
    }
}

/** The status line's words for a failed load, until the settings change. */
const LOAD_FAILURE_SHORT: Record<string, string> = {
    "missing-file": "model file missing",
    "bad-file": "model file unusable",
    "tokenizer-mismatch": "models' tokenizers differ",
    "load-failed": "models failed to load",
    server: "LLM server problem",
};

function oneLine(s: string, max = 120): string {
    const flat = s.replace(/\s+/g, " ").trim();
    return flat.length > max ? flat.slice(0, max - 1) + "…" : flat;
}

function safely(fn: () => void): void {
    try {
        fn();
    } catch {
        // A listener's failure must not stop decoding.
    }
}
