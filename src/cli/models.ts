/** Resolves which model pair the CLI uses and loads it, turning load problems into usage errors. */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { demoModelPaths, gpuOffloadProblem, loadPair, PairLoadError, type ModelPair } from "../stitch/index.ts";
import { number } from "./options.ts";
import { UsageError } from "./usage.ts";

/** The package root: dist/cli.js when bundled, src/cli/*.ts when run from source. */
export function packageRoot(): string {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(resolve(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
    return dir;
}

export interface ModelValues {
    slm?: string;
    llm?: string;
    threads?: string;
    context?: string;
    "gpu-layers"?: string;
}

export async function openPair(v: ModelValues): Promise<ModelPair> {
    if ((v.slm === undefined) !== (v.llm === undefined)) {
        const [given, missing] = v.slm !== undefined ? [`--slm ${v.slm}`, "--llm"] : [`--llm ${v.llm}`, "--slm"];
        throw new UsageError(`${given} was given without ${missing}. Give both --slm and --llm (two GGUF files that share a tokenizer), or neither to use the embedded demo pair.`);
    }
    const demo = demoModelPaths(packageRoot());
    const slmPath = v.slm ?? demo.slm;
    const llmPath = v.llm ?? demo.llm;
    if (v.slm === undefined && !(existsSync(demo.slm) && existsSync(demo.llm))) {
        throw new UsageError(`The embedded demo models are missing (${demo.slm}). Pass two GGUF files that share a tokenizer: --slm SMALL.gguf --llm LARGE.gguf`);
    }
    const gpuLayers = number("gpu-layers", v["gpu-layers"], 0, 999, true) ?? 0;
    let pair: ModelPair;
    try {
        pair = await loadPair({
            slmPath: resolve(slmPath),
            llmPath: resolve(llmPath),
            threads: number("threads", v.threads, 0, 256, true),
            contextSize: number("context", v.context, 64, 1_048_576, true),
            gpuLayers,
        });
    } catch (e) {
        // Every load failure is about the files given (missing, damaged, refused by llama.cpp): bad input.
        if (e instanceof PairLoadError) throw new UsageError(e.message);
        throw e;
    }
    const gpuProblem = await gpuOffloadProblem(gpuLayers);
    if (gpuProblem) process.stderr.write(`rstitch: ${gpuProblem.replace("GPU layers were", "GPU layers (--gpu-layers) were")}\n`);
    return pair;
}
