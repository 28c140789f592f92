/**
 * What is wrong with the configured model pair before anything is loaded, in a few words for the
 * status bar and the chat view ("SLM file missing"). Pure apart from the `exists` it is given.
 */
import { basename } from "node:path";
import type { PairSpec } from "./model-manager.ts";

export interface PairProblem {
    /** Short: fits the status bar. */
    short: string;
    /** One sentence for a tooltip: what is wrong and where. */
    detail: string;
}

export function pairProblem(spec: PairSpec, exists: (path: string) => boolean): PairProblem | undefined {
    const roles: ["SLM" | "LLM", string, boolean][] = [["SLM", spec.slmPath, spec.demo.slm]];
    if (!spec.llmServerUrl) roles.push(["LLM", spec.llmPath, spec.demo.llm]);
    for (const [role, path, demo] of roles) {
        if (exists(path)) continue;
        return demo
            ? { short: `demo ${role} missing`, detail: `The embedded demo ${role} (${basename(path)}) is missing from this installation: choose your own GGUF files.` }
            : { short: `${role} file missing`, detail: `The ${role} file ${path} does not exist: choose another file or use the demo models.` };
    }
    return undefined;
}
