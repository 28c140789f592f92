/** Defaults shared by the CLI and the extension, kept in one place. */
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { Mode } from "./events.ts";

/**
 * Default decoding mode and entropy threshold τ: the fastest configuration of `rstitch bench` within
 * 1 accuracy point of LLM-only on the test split (data/test.jsonl), τ picked on the tuning split
 * (data/tune.jsonl); README "Performance" has the command and the table.
 */
export const DEFAULT_MODE: Mode = "stitch";
/**
 * Default entropy threshold τ (normalised by log V), chosen on the tuning split: on 100 tune problems
 * the fastest τ within 1 accuracy point of LLM-only was 0.02 on the demo pair (98% vs 99%; 0.03 lost 2
 * points) and 0.03 on the paper-regime pair. On the first 200 test problems τ = 0.02 matched LLM-only
 * on the demo pair (95% vs 95%, 1.84×) and was within 1 point on the paper pair (99% vs 100%, 2.51×).
 * `rstitch bench --split tune --problems 100 --thresholds 0.005,0.01,0.02,0.03,0.05 --drafts 4 --peers none`
 * (README "Performance").
 */
export const DEFAULT_THRESHOLD = 0.02;
export const DEFAULT_BUDGET = 512;
export const DEFAULT_CONTEXT_SIZE = 2048;
export const DEFAULT_DRAFT_TOKENS = 4;

/**
 * Flash attention, when the caller does not choose: off on the CPU, llama.cpp's own choice with a GPU.
 * R-Stitch's hot path is the catch-up batch (the LLM reading the SLM's last few tokens, 2–20 at a
 * time), and llama.cpp's CPU flash attention runs batches under 64 tokens one query row at a time:
 * on the demo LLM a 16-token batch took 8.1 ms with it and 4.0 ms without, a 32-token one 18.1 vs
 * 8.5 ms, while a single-token decode took 1.8 vs 2.2 ms (`node --import tsx tools/attention-cost.ts`).
 */
export function defaultFlashAttention(gpuLayers: number): boolean | undefined {
    return gpuLayers > 0 ? undefined : false;
}

export const DEMO_SLM_FILE = "demo-slm.gguf";
export const DEMO_LLM_FILE = "demo-llm.gguf";

/** The embedded demo pair inside a package root (repository or installed extension). */
export function demoModelPaths(root: string): { slm: string; llm: string } {
    return { slm: join(root, "models", DEMO_SLM_FILE), llm: join(root, "models", DEMO_LLM_FILE) };
}

/**
 * Threads when none are asked for: half the logical cores, at least 1, at most 8. llama.cpp's own
 * default takes every core, and its spinning workers then fight everything else on the machine: on a
 * busy 2-core machine the demo pair ran at 4.9 tokens/s with 2 threads and 247 tokens/s with 1.
 */
export function defaultThreads(cores = availableParallelism()): number {
    return Math.max(1, Math.min(8, Math.floor(cores / 2)));
}
