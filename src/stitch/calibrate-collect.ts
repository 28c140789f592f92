/**
 * The teacher for a calibration, from the pair itself (no answer labels needed): each prompt is
 * answered by R-Stitch at a cautious τ₀, and wherever the SLM was unsure enough to hand over, the LLM
 * wrote that same position, so both models' top tokens there are known: would the SLM's own token
 * have been the LLM's? Every other position the SLM wrote sure of itself (H ≤ τ₀). The path is the
 * SLM's (as stitched), so a pair whose SLM writes its own style is judged on that style, not on the
 * LLM's longer one.
 */
import type { Head } from "./route-features.ts";
import { headOf } from "./route-features.ts";
import type { ModelPair } from "./pair.ts";
import type { ObservedPrediction } from "./stitcher.ts";

/** The SLM's reading at a position: its entropy and the head of its distribution. */
export interface SlmReading extends Head {
    entropy: number;
}

/** One output position of the teacher's answer. */
export interface TeacherPosition {
    /** null where the SLM did not predict (inside an LLM span). */
    slm: SlmReading | null;
    /** 1 where the SLM's top token differs from the LLM's (known where the teacher handed over; 0 where the SLM was sure). */
    disagree: 0 | 1;
    /** The LLM's entropy where it wrote the position (null where the SLM did). */
    llmEntropy: number | null;
    /** The text written here (for step boundaries). */
    text: string;
}

export interface TeacherAnswer {
    positions: TeacherPosition[];
    /** Whether the teacher's answer was right, when the prompt had a label. */
    correct?: boolean;
}

export interface TeacherPrompt {
    prompt: string;
    /** Scores a text, when the prompt came with an answer. */
    correct?: (text: string) => boolean;
}

/** The teacher's τ₀: a quarter of the default τ, where R-Stitch matched the LLM on both pairs' tuning split. */
export const TEACHER_TAU = 0.005;

export async function collectTeacher(
    pair: ModelPair, prompts: readonly TeacherPrompt[], budget: number, teacherTau = TEACHER_TAU,
    onProgress?: (done: number) => void, signal?: AbortSignal,
): Promise<TeacherAnswer[]> {
    const out: TeacherAnswer[] = [];
    for (const p of prompts) {
        if (signal?.aborted) break;
        // Per position: the SLM's reading and greedy token, and the LLM's where it predicted.
        const slm = new Map<number, { reading: SlmReading; greedy: number }>();
        const llm = new Map<number, { entropy: number; greedy: number }>();
        const observe = (o: ObservedPrediction) => {
            if (o.source === "slm") slm.set(o.index, { reading: { entropy: o.entropy, ...headOf(o.distribution) }, greedy: o.greedy });
            else llm.set(o.index, { entropy: o.entropy, greedy: o.greedy });
        };
        const tokens: { source: string; text: string }[] = [];
        let text = "";
        for await (const e of pair.solve({ prompt: p.prompt, mode: "stitch", threshold: teacherTau, budget, signal, observe })) {
            if (e.type === "token") tokens.push({ source: e.source, text: e.text });
            else if (e.type === "error") throw new Error(e.message);
            else if (e.type === "done") text = e.text;
        }
        if (signal?.aborted) break;
        const positions = tokens.map((t, i): TeacherPosition => {
            const s = slm.get(i);
            const l = t.source === "llm" ? llm.get(i) : undefined;
            const disagree = s && l && s.greedy !== l.greedy ? 1 : 0;
            return { slm: s?.reading ?? null, disagree, llmEntropy: l?.entropy ?? null, text: t.text };
        });
        out.push({ positions, ...(p.correct ? { correct: p.correct(text) } : {}) });
        onProgress?.(out.length);
    }
    return out;
}
