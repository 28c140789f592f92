/**
 * A `vscode.lm` request read as R-Stitch takes it: the last user message is the
 * question, the messages before it the history, system messages the system prompt. Pure; no
 * `vscode` import (the provider extracts each message's text first).
 */
import type { ChatMessage } from "./decoder.ts";

/** As contributed in package.json (`languageModelChatProviders`). */
export const LM_VENDOR = "rstitch";

/** VS Code's LanguageModelChatMessageRole values (System is 3 where the editor has it). */
export const LM_ROLE = { user: 1, assistant: 2, system: 3 } as const;

/** One request message reduced to its role and the text of its text parts. */
export interface PlainMessage {
    role: number;
    text: string;
}

export type RequestConversation = { prompt: string; history: ChatMessage[]; system?: string } | { error: string };

export function requestConversation(messages: readonly PlainMessage[]): RequestConversation {
    const system: string[] = [];
    const turns: ChatMessage[] = [];
    for (const m of messages) {
        const text = m.text.trim();
        if (!text) continue;
        if (m.role === LM_ROLE.system) {
            system.push(text);
            continue;
        }
        const role = m.role === LM_ROLE.assistant ? "assistant" : m.role === LM_ROLE.user ? "user" : undefined;
        if (!role) return { error: `R-Stitch cannot read a message with role ${m.role}.` };
        // Templates expect turns to alternate: consecutive messages of one role are one turn.
        const last = turns[turns.length - 1];
        if (last?.role === role) last.text += `\n\n${text}`;
        else turns.push({ role, text });
    }
    const question = turns.pop();
    if (!question || question.role !== "user") return { error: "R-Stitch answers a question: the request's last message must be a user message with text." };
    return { prompt: question.text, history: turns, ...(system.length ? { system: system.join("\n\n") } : {}) };
}

/** Who sends requests on behalf of VS Code's own chat view ("core": the editor itself). */
const EDITOR_CHAT = new Set(["core", "github.copilot-chat"]);

/**
 * Whether the answer ends with a link to the panel: for VS Code's chat, where a person reads it; not
 * for another extension's request (its text is data to it), unless it asks with `modelOptions.panelLink`.
 */
export function wantsPanelLink(options: { readonly modelOptions?: { readonly [name: string]: unknown }; readonly requestInitiator?: string }): boolean {
    const asked = options.modelOptions?.panelLink;
    if (typeof asked === "boolean") return asked;
    return options.requestInitiator !== undefined && EDITOR_CHAT.has(options.requestInitiator);
}

/** Shows a turn in the panel (the link under an answer given in VS Code's chat; not in the palette). */
export const SHOW_TURN = "rstitch.showTurn";

/** The final text part: a command link that shows the same answer, attributed, in the panel. */
export function panelLink(turnId: string): string {
    const args = encodeURIComponent(JSON.stringify([turnId]));
    return `\n\n[Open in the R-Stitch panel](command:${SHOW_TURN}?${args} "Show this answer with each token's model")`;
}
