/**
 * R-Stitch as a language model of VS Code (`vscode.lm`): "R-Stitch (SLM + LLM)" in the chat's model
 * picker and for other extensions. A request runs through the session like a question typed in the
 * panel, so its turn appears there too, marked as asked in VS Code's chat; the answer streams back
 * as text parts. Editors without the provider API (before 1.104) get a log line and nothing else.
 */
import * as vscode from "vscode";
import { lmProviderApi, type LanguageModelChatInformation, type LanguageModelChatProvider, type LanguageModelChatRequestMessage, type LmProviderApi, type ProvideLanguageModelChatResponseOptions } from "./lm-api.ts";
import { LM_VENDOR, panelLink, requestConversation, wantsPanelLink } from "./lm-request.ts";
import type { Log } from "./log.ts";
import { pairLabel, pairSpec, type ModelManager } from "./model-manager.ts";
import type { Session } from "./session.ts";
import { readSettings } from "./settings.ts";

export const LM_MODEL_ID = "r-stitch";
export const LM_MODEL_NAME = "R-Stitch (SLM + LLM)";

export interface LmProviderDeps {
    session: Session;
    models: ModelManager;
    extensionRoot: string;
    version: string;
    log: Log;
}

/** The registration, and the provider itself (undefined where the editor has no such API). */
export interface LmRegistration {
    provider?: LanguageModelChatProvider;
    disposables: vscode.Disposable[];
}

export function registerLmProvider(deps: LmProviderDeps): LmRegistration {
    const api = lmProviderApi();
    if (!api) {
        deps.log.info(`VS Code ${vscode.version} has no Language Model Chat Provider API (1.104 and later): R-Stitch is not offered in VS Code's chat.`);
        return { disposables: [] };
    }
    const provider = new RStitchLanguageModel(deps, api);
    deps.log.info(`R-Stitch is offered as "${LM_MODEL_NAME}" to VS Code's chat and to other extensions (vscode.lm, vendor "${LM_VENDOR}").`);
    return { provider, disposables: [provider, api.register(LM_VENDOR, provider)] };
}

class RStitchLanguageModel implements LanguageModelChatProvider, vscode.Disposable {
    private readonly changed = new vscode.EventEmitter<void>();
    readonly onDidChangeLanguageModelChatInformation = this.changed.event;
    private readonly subscription: vscode.Disposable;
    private estimateLogged = false;

    constructor(
        private readonly deps: LmProviderDeps,
        private readonly api: LmProviderApi,
    ) {
        // The model's detail names the pair and its limits come from the settings.
        this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
            if (e.affectsConfiguration("rstitch")) this.changed.fire();
        });
    }

    provideLanguageModelChatInformation(): LanguageModelChatInformation[] {
        const settings = readSettings().settings;
        const pair = pairLabel(pairSpec(settings, this.deps.extensionRoot));
        return [
            {
                id: LM_MODEL_ID,
                name: LM_MODEL_NAME,
                family: "r-stitch",
                version: this.deps.version,
                detail: pair,
                tooltip: `A small and a large model decoding one answer together (entropy routing): ${pair}. The answer also appears in the R-Stitch panel.`,
                maxInputTokens: Math.max(1, settings.contextSize - settings.tokenBudget),
                maxOutputTokens: settings.tokenBudget,
                capabilities: { imageInput: false, toolCalling: false },
            },
        ];
    }

    async provideLanguageModelChatResponse(
        _model: LanguageModelChatInformation,
        messages: readonly LanguageModelChatRequestMessage[],
        options: ProvideLanguageModelChatResponseOptions,
        progress: vscode.Progress<unknown>,
        token: vscode.CancellationToken,
    ): Promise<void> {
        const conversation = requestConversation(messages.map((m) => ({ role: m.role, text: this.textOf(m) })));
        if ("error" in conversation) throw new Error(conversation.error);
        if (token.isCancellationRequested) return;
        const abort = new AbortController();
        const cancelled = token.onCancellationRequested(() => abort.abort());
        try {
            const outcome = await this.deps.session.run({
                kind: "solve",
                prompt: conversation.prompt,
                history: conversation.history,
                system: conversation.system,
                askedIn: "vscode-chat",
                signal: abort.signal,
                onText: (text) => {
                    if (!token.isCancellationRequested) progress.report(this.api.textPart(text));
                },
            });
            if (outcome.status !== "finished") throw new Error(outcome.reason);
            const { result } = outcome;
            if (result.stopReason === "error") throw new Error(result.error ?? "R-Stitch failed.");
            if (!token.isCancellationRequested && wantsPanelLink(options)) progress.report(this.api.textPart(panelLink(result.turn.id)));
        } finally {
            cancelled.dispose();
        }
    }

    async provideTokenCount(_model: LanguageModelChatInformation, text: string | LanguageModelChatRequestMessage): Promise<number> {
        const plain = typeof text === "string" ? text : this.textOf(text);
        const spec = pairSpec(readSettings().settings, this.deps.extensionRoot);
        try {
            // The shared tokenizer is the SLM's: counting needs the pair loaded (the next answer needs it anyway).
            const pair = await this.deps.models.acquire(spec);
            try {
                return pair.tokenize(plain).length;
            } finally {
                this.deps.models.release();
            }
        } catch (err) {
            if (!this.estimateLogged) {
                this.estimateLogged = true;
                this.deps.log.warn(`Token counts for VS Code's chat are estimated (4 characters a token): the models did not load (${err instanceof Error ? err.message : String(err)}).`);
            }
            return Math.ceil(plain.length / 4);
        }
    }

    private textOf(message: LanguageModelChatRequestMessage): string {
        return message.content.map((part) => this.api.textOf(part) ?? "").join("");
    }

    dispose(): void {
        this.subscription.dispose();
        this.changed.dispose();
    }
}
