/** Renders a user prompt through a model's own chat template into tokens, with the template's stop triggers. */
import type { ChatWrapper, LlamaModel, Token } from "node-llama-cpp";

export interface RenderedPrompt {
    tokens: Token[];
    /** Textual stop triggers of the template (special-token triggers are caught as end-of-generation). */
    textTriggers: string[];
}

export function renderPrompt(model: LlamaModel, wrapper: ChatWrapper, prompt: string, system?: string): RenderedPrompt {
    const chatHistory = [
        ...(system ? [{ type: "system" as const, text: system }] : []),
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
