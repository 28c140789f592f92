/**
 * The teacher for a calibration, from the pair itself (no answer labels needed): the LLM's own greedy
 * answer to each prompt, and the SLM's prediction at every position of it, read in one batch. At each
 * position the question the router answers is then known: would the SLM's top token have been the
 * LLM's? The LLM's path is the one a good stitched answer follows, so this is what the router sees.
 * The LLM must run in this process (its tokens come from the lossless speculative loop).
 */
import type { Token } from "node-llama-cpp";
import { headOf } from "./route-features.ts";
import type { ModelPair } from "./pair.ts";

/** One output position: what each model predicted there. */
export interface TeacherPosition {
    /** The SLM's normalised entropy and the head of its distribution. */
    entropy: number;
    top1: number;
    margin: number;
    top5: number;
    /** 1 where the SLM's top token differs from the LLM's. */
    disagree: 0 | 1;
    /** The LLM's entropy at its own token (it hands back at or below τ). */
    llmEntropy: number;
    /** The text the LLM wrote here (for step boundaries). */
    text: string;
}

export interface TeacherAnswer {
    positions: TeacherPosition[];
    /** Whether the LLM's answer was right, when the prompt had a label. */
    llmCorrect?: boolean;
}

export interface TeacherPrompt {
    prompt: string;
    /** Scores the LLM's text, when the prompt came with an answer. */
    correct?: (text: string) => boolean;
}

export async function collectTeacher(
    pair: ModelPair, prompts: readonly TeacherPrompt[], budget: number,
    onProgress?: (done: number) => void, signal?: AbortSignal,
): Promise<TeacherAnswer[]> {
    const out: TeacherAnswer[] = [];
    for (const p of prompts) {
        if (signal?.aborted) break;
        const tokens: { id: number; text: string; entropy: number }[] = [];
        let text = "";
        for await (const e of pair.solve({ prompt: p.prompt, mode: "speculative", budget, signal })) {
            if (e.type === "token") tokens.push({ id: e.id, text: e.text, entropy: e.entropy });
            else if (e.type === "error") throw new Error(e.message);
            else if (e.type === "done") text = e.text;
        }
        if (signal?.aborted) break;
        const promptTokens = pair.renderPrompts(p.prompt).slm.tokens;
        const slm = await pair.withModels(async ({ slm }) => {
            const lane = await slm.verifyLane("slm", { readEntropy: true, reuse: true });
            try {
                lane.append(promptTokens);
                return await lane.score(tokens.map((t) => t.id as Token));
            } finally {
                await lane.close();
            }
        });
        const positions = tokens.map((t, i): TeacherPosition => {
            const s = slm[i];
            const head = headOf(s.distribution);
            return { entropy: s.entropy, ...head, disagree: s.greedy === t.id ? 0 : 1, llmEntropy: t.entropy, text: t.text };
        });
        out.push({ positions, ...(p.correct ? { llmCorrect: p.correct(text) } : {}) });
        onProgress?.(out.length);
    }
    return out;
}
