/**
 * A loaded SLM/LLM pair (pair-load.ts loads it): the SLM here, the LLM behind the LlmBackend seam,
 * one tokenizer. Runs one decode at a time in any mode, through the engine the mode table names, and
 * always reports through the same event stream.
 */
import type { Token } from "node-llama-cpp";
import { MODES, modeSpec } from "../modes.ts";
import type { ChatMessage, Source, StitchEvent } from "./events.ts";
import { DEFAULT_BUDGET, DEFAULT_MODE } from "./defaults.ts";
import { createEngines, type SolveOptions } from "./engines.ts";
import type { InProcessModel, LlmBackend, ModelInfo } from "./llm-backend.ts";
import type { LocalModel } from "./local-model.ts";
import { turnCount, withoutOldestTurns, type PromptInput, type RenderedPrompt } from "./prompt.ts";
import type { NodeLlamaCpp } from "./runtime.ts";

export { PairLoadError, type PairErrorCode } from "./pair-error.ts";
export type { SolveOptions } from "./engines.ts";
export type { ModelInfo } from "./llm-backend.ts";

export class ModelPair {
    private running = false;
    private disposed = false;
    private readonly engines;

    constructor(
        private readonly lib: NodeLlamaCpp,
        private readonly slm: LocalModel,
        private readonly llm: LlmBackend,
        /** Flash attention in this pair's contexts (undefined: llama.cpp's choice). */
        readonly flashAttention: boolean | undefined,
    ) {
        this.engines = createEngines(slm, llm);
    }

    get busy(): boolean {
        return this.running;
    }

    describe(): { slm: ModelInfo; llm: ModelInfo } {
        return { slm: this.slm.info, llm: this.llm.info };
    }

    /** Where the LLM runs when it is not on this machine (undefined: local). */
    get remoteLlm(): { url: string; name: string } | undefined {
        return this.llm.server;
    }

    /** Largest number of tokens a context can hold (prompt plus output). */
    get contextSize(): number {
        return Math.min(this.slm.contextSize, this.llm.contextSize);
    }

    /**
     * A pair on this pair's loaded SLM, with an SLM context of its own, and the LLM `connectLlm` gives
     * it (pair-load.ts loadPairs: several users of one server).
     */
    async sibling(connectLlm: (slm: LocalModel) => Promise<LlmBackend>): Promise<ModelPair> {
        const slm = await this.slm.sibling();
        try {
            return new ModelPair(this.lib, slm, await connectLlm(slm), this.flashAttention);
        } catch (e) {
            await slm.dispose();
            throw e;
        }
    }

    /** Tokenises text with the shared tokenizer (`specialTokens`: "<|im_end|>" and the like as the tokens they name). */
    tokenize(text: string, specialTokens = false): Token[] {
        return this.slm.model.tokenize(text, specialTokens);
    }

    /**
     * Decodes one answer. The stream ends with exactly one `done` or `error` event; an aborted signal
     * ends it with `done` (stopReason "abort") within one token, and the pair stays usable.
     */
    async *solve(options: SolveOptions): AsyncGenerator<StitchEvent, void> {
        if (this.disposed) {
            yield { type: "error", message: "The models were unloaded; load them again." };
            return;
        }
        if (this.running) {
            yield { type: "error", message: "A solve is already running on these models; stop it or wait for it to finish." };
            return;
        }
        this.running = true;
        try {
            const mode = options.mode ?? DEFAULT_MODE;
            const spec = modeSpec(mode);
            if (spec.needsLocalLlm && !this.llm.local) {
                const here = MODES.filter((m) => !modeSpec(m).needsLocalLlm).join(", ");
                yield { type: "error", message: `${spec.label} mode needs the LLM on this machine; here it runs on a server. Use one of: ${here}.` };
                return;
            }
            const budget = options.budget ?? DEFAULT_BUDGET;
            const { prompts, promptLength, turnsLeftOut } = this.fitConversation(options, budget);
            const room = this.contextSize - promptLength - 1;
            if (room < 1) {
                yield { type: "error", code: "prompt-too-long", message: this.tooLong(promptLength) };
                return;
            }
            const run = {
                budget: Math.min(budget, room),
                prompt: { tokens: promptLength, turnsLeftOut, contextSize: this.contextSize },
                temperature: options.temperature ?? 0,
                seed: options.seed ?? 0,
                isEndOfGeneration: (t: Token) => this.slm.isEndOfGeneration(t) || this.llm.isEndOfGeneration(t),
                detokenize: (tokens: number[]) => this.slm.model.detokenize(tokens as Token[]),
                stopTriggers: [...new Set([...prompts.slm.textTriggers, ...prompts.llm.textTriggers])],
                signal: options.signal,
            };
            yield* this.engines[spec.engine].run({ mode, options, run, prompts });
        } catch (e) {
            yield { type: "error", message: `Decoding failed: ${(e as Error).message}` };
        } finally {
            this.running = false;
        }
    }

    /** The conversation as each model is fed it: the tokens `solve` feeds, and the stop triggers. */
    renderPrompts(prompt: string, system?: string, history?: readonly ChatMessage[]): Record<Source, RenderedPrompt> {
        const input: PromptInput = { prompt, system, history };
        const slm = this.slm.renderPrompt(input);
        return { slm, llm: this.llm.renderPrompt(input, slm) };
    }

    /**
     * The conversation without as many of its oldest turns as needed for it to leave room for the
     * answer: the budget, but at most half the context (a budget as large as the context would
     * otherwise leave no room for any earlier turn). The new question itself is never cut (a prompt
     * too long alone is refused, as before); a budget larger than what is left is cut to it.
     */
    private fitConversation(options: SolveOptions, budget: number): { prompts: Record<Source, RenderedPrompt>; promptLength: number; turnsLeftOut: number } {
        const history = options.history ?? [];
        const turns = turnCount(history);
        const answerRoom = Math.min(budget, Math.floor(this.contextSize / 2));
        for (let dropped = 0; ; dropped++) {
            const prompts = this.renderPrompts(options.prompt, options.system, withoutOldestTurns(history, dropped));
            const promptLength = Math.max(prompts.slm.tokens.length, prompts.llm.tokens.length);
            if (dropped >= turns || promptLength + answerRoom < this.contextSize) return { prompts, promptLength, turnsLeftOut: dropped };
        }
    }

    /** The prompt as the LLM's chat template renders it (what an external peer must be sent). */
    llmPromptTokens(prompt: string, system?: string): Token[] {
        return this.renderPrompts(prompt, system).llm.tokens;
    }

    /**
     * Runs `use` with the pair's models while no solve can start (the benchmark's cost measurement);
     * refused while a solve runs.
     */
    async withModels<T>(use: (models: { slm: InProcessModel; llm: LlmBackend }) => Promise<T>): Promise<T> {
        if (this.running || this.disposed) throw new Error("The models are busy or unloaded.");
        this.running = true;
        try {
            return await use({ slm: this.slm, llm: this.llm });
        } finally {
            this.running = false;
        }
    }

    /** Says which limit the prompt ran into: one the user can raise, or the models' trained context. */
    private tooLong(promptLength: number): string {
        const trained = Math.min(this.slm.trainContextSize ?? Infinity, this.llm.trainContextSize ?? Infinity);
        const head = `The prompt is ${promptLength} tokens long (with the chat template) and`;
        if (this.contextSize >= trained) {
            return `${head} does not fit: these models were trained for a context of ${trained} tokens, prompt and answer together, which cannot be raised. Shorten the prompt.`;
        }
        const raise = Number.isFinite(trained) ? `, up to the models' trained ${trained} tokens` : "";
        return `${head} does not fit the context of ${this.contextSize} tokens. Shorten it or raise the context size (setting rstitch.contextSize, CLI --context)${raise}.`;
    }

    async dispose(): Promise<void> {
        if (this.disposed) return;
        this.disposed = true;
        for (const engine of Object.values(this.engines)) await engine.dispose();
        await this.llm.dispose();
        await this.slm.dispose();
    }
}
