/** Renders a conversation through a model's own chat template into tokens, with the template's stop triggers. */
import type { ChatHistoryItem, ChatWrapper, LlamaModel, Token } from "node-llama-cpp";
import { replyOf } from "./answer.ts";
import type { ChatMessage, PromptStats } from "./events.ts";

export interface RenderedPrompt {
    tokens: Token[];
    /** Textual stop triggers of the template (special-token triggers are caught as end-of-generation). */
    textTriggers: string[];
}

/** What one answer is asked: the new question, after the conversation so far (oldest first). */
export interface PromptInput {
    prompt: string;
    system?: string;
    history?: readonly ChatMessage[];
}

export function renderPrompt(model: LlamaModel, wrapper: ChatWrapper, input: PromptInput): RenderedPrompt {
    const { prompt, system, history = [] } = input;
    const chatHistory: ChatHistoryItem[] = [
        ...(system ? [{ type: "system" as const, text: system }] : []),
        // Earlier answers without their thinking, as reasoning templates render them (answer.ts replyOf).
        ...history.map((m): ChatHistoryItem => (m.role === "user" ? { type: "user", text: m.text } : { type: "model", response: [replyOf(m.text)] })),
        { type: "user" as const, text: prompt },
        { type: "model" as const, response: [] },
    ];
    const state = wrapper.generateContextState({ chatHistory });
    const tokens = state.contextText.tokenize(model.tokenizer);
    // node-llama-cpp's ChatML-style wrappers open every prompt with the BOS token. Where that token
    // also ends generation (Qwen's <|endoftext|>), it is a document separator the model's own template
    // never renders: drop it so the prompt is exactly the template's rendering.
    if (tokens.length > 1 && tokens[0] === model.tokens.bos && model.isEogToken(tokens[0])) tokens.shift();
    const textTriggers: string[] = [];
    for (const trigger of state.stopGenerationTriggers) {
        for (const part of trigger.values) {
            if (typeof part === "string" && part.length > 0) textTriggers.push(part);
        }
    }
    return { tokens, textTriggers };
}

/**
 * The conversation without its oldest turns (a question and the answers after it): `dropped` turns
 * left out. A history that does not start with a question loses its leading answers with the first turn.
 */
export function withoutOldestTurns(history: readonly ChatMessage[], dropped: number): ChatMessage[] {
    let at = 0;
    for (let turn = 0; turn < dropped && at < history.length; turn++) {
        at++;
        while (at < history.length && history[at].role !== "user") at++;
    }
    return history.slice(at);
}

/** Turns (questions) in a history. */
export function turnCount(history: readonly ChatMessage[]): number {
    let n = 0;
    for (let i = 0; i < history.length; i++) if (i === 0 || history[i].role === "user") n++;
    return n;
}

/** The turn's note when earlier turns were left out (undefined when none were): never a silent cut. */
export function leftOutNote(prompt: Pick<PromptStats, "turnsLeftOut" | "contextSize"> | undefined): string | undefined {
    if (!prompt || prompt.turnsLeftOut === 0) return undefined;
    const n = prompt.turnsLeftOut;
    return `${n} earlier turn${n === 1 ? "" : "s"} left out to fit the context of ${prompt.contextSize} tokens`;
}
