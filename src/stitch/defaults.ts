/** Defaults shared by the CLI and the extension, kept in one place. */
import { availableParallelism } from "node:os";
import { join } from "node:path";

/**
 * Default entropy threshold τ (normalised). Chosen from the benchmark's measured curve on the demo
 * pair: see README "Performance".
 */
export const DEFAULT_THRESHOLD = 0.1;
export const DEFAULT_BUDGET = 512;
export const DEFAULT_CONTEXT_SIZE = 2048;
export const DEFAULT_DRAFT_TOKENS = 4;

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
