/**
 * The part of VS Code's Language Model Chat Provider API (stable since 1.104) that R-Stitch uses,
 * declared here because the project builds against @types/vscode 1.90 (engines ^1.90). At run time
 * `lmProviderApi()` says whether the editor has it; older editors get no provider and a log line.
 */
import * as vscode from "vscode";

export interface LanguageModelChatInformation {
    readonly id: string;
    readonly name: string;
    readonly family: string;
    readonly version: string;
    readonly tooltip?: string;
    readonly detail?: string;
    readonly maxInputTokens: number;
    readonly maxOutputTokens: number;
    /** Required by the editor (it reads its fields): no images, no tool calls. */
    readonly capabilities: { readonly imageInput?: boolean; readonly toolCalling?: boolean | number };
}

/** A message part: text parts have a string `value`; tool calls, tool results and data parts are skipped. */
export type LanguageModelInputPart = unknown;

export interface LanguageModelChatRequestMessage {
    readonly role: number;
    readonly content: readonly LanguageModelInputPart[];
    readonly name: string | undefined;
}

export interface ProvideLanguageModelChatResponseOptions {
    readonly modelOptions?: { readonly [name: string]: unknown };
    /** Not in the stable typings: the extension id that sent the request, or "core" (the editor itself), where the editor says. */
    readonly requestInitiator?: string;
}

export interface LanguageModelChatProvider<T extends LanguageModelChatInformation = LanguageModelChatInformation> {
    readonly onDidChangeLanguageModelChatInformation?: vscode.Event<void>;
    provideLanguageModelChatInformation(options: { readonly silent: boolean }, token: vscode.CancellationToken): vscode.ProviderResult<T[]>;
    provideLanguageModelChatResponse(
        model: T,
        messages: readonly LanguageModelChatRequestMessage[],
        options: ProvideLanguageModelChatResponseOptions,
        progress: vscode.Progress<unknown>,
        token: vscode.CancellationToken,
    ): Thenable<void>;
    provideTokenCount(model: T, text: string | LanguageModelChatRequestMessage, token: vscode.CancellationToken): Thenable<number>;
}

/** What the editor offers at run time, or undefined where it has no provider API. */
export interface LmProviderApi {
    register(vendor: string, provider: LanguageModelChatProvider): vscode.Disposable;
    /** A text response part (the editor accepts only its own part classes). */
    textPart(value: string): unknown;
    /** The text of a message part, or undefined for other parts (tool calls, data, thinking). */
    textOf(part: unknown): string | undefined;
}

type TextPartClass = new (value: string) => { value: string };

export function lmProviderApi(): LmProviderApi | undefined {
    const lm = (vscode as { lm?: { registerLanguageModelChatProvider?: unknown } }).lm;
    const TextPart = (vscode as unknown as { LanguageModelTextPart?: TextPartClass }).LanguageModelTextPart;
    if (typeof lm?.registerLanguageModelChatProvider !== "function" || typeof TextPart !== "function") return undefined;
    const register = lm.registerLanguageModelChatProvider as (vendor: string, provider: LanguageModelChatProvider) => vscode.Disposable;
    return {
        register: (vendor, provider) => register.call(lm, vendor, provider),
        textPart: (value) => new TextPart(value),
        textOf: (part) => (part instanceof TextPart ? part.value : undefined),
    };
}
