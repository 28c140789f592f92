/** Resolves which model pair the CLI uses and loads it, turning load problems into usage errors. */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { demoModelPaths, gpuOffloadProblem, loadPair, loadPairs, PairLoadError, type ModelPair } from "../stitch/index.ts";
import { DEFAULT_SERVER_TIMEOUT_MS, normaliseServerUrl, type ServerSettings } from "../stitch/remote/server-client.ts";
import { SERVER_APIS, type ServerApi } from "../stitch/remote/server-api.ts";
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
    "flash-attention"?: string;
    "llm-url"?: string;
    "api-key-env"?: string;
    "llm-timeout"?: string;
    "llm-api"?: string;
}

/** --flash-attention on|off; undefined when not given (the pair's default applies). */
export function flashAttention(raw: string | undefined): boolean | undefined {
    if (raw === undefined) return undefined;
    if (raw === "on" || raw === "off") return raw === "on";
    throw new UsageError(`--flash-attention must be on or off, got "${raw}".`);
}

/** --llm-url, --api-key-env, --llm-timeout: the LLM served by llama-server (the key never on the command line). */
export function serverSettings(v: ModelValues, env: NodeJS.ProcessEnv = process.env): ServerSettings | undefined {
    const raw = v["llm-url"];
    if (raw === undefined) {
        if (v["api-key-env"] !== undefined || v["llm-timeout"] !== undefined || v["llm-api"] !== undefined) throw new UsageError("--api-key-env, --llm-timeout and --llm-api go with --llm-url URL.");
        return undefined;
    }
    if (v.llm !== undefined) throw new UsageError("Give --llm FILE (a local LLM) or --llm-url URL (an LLM server), not both.");
    const url = normaliseServerUrl(raw);
    if ("error" in url) throw new UsageError(url.error);
    let apiKey: string | undefined;
    const name = v["api-key-env"];
    if (name !== undefined) {
        apiKey = env[name];
        if (!apiKey) throw new UsageError(`--api-key-env ${name}: the environment variable ${name} is not set or empty; export the LLM server's API key in it.`);
    }
    const seconds = number("llm-timeout", v["llm-timeout"], 1, 3600);
    const api = v["llm-api"] ?? "auto";
    if (!(SERVER_APIS as readonly string[]).includes(api)) throw new UsageError(`--llm-api must be one of ${SERVER_APIS.join(", ")}, got "${api}".`);
    return { url: url.url, apiKey, timeoutMs: seconds !== undefined ? seconds * 1000 : DEFAULT_SERVER_TIMEOUT_MS, api: api as ServerApi };
}

/** Whether these options run the embedded demo pair: both of its files, the LLM not on a server. */
export function usesDemoPair(v: ModelValues): boolean {
    if (v["llm-url"] !== undefined) return false;
    const demo = demoModelPaths(packageRoot());
    return resolve(v.slm ?? demo.slm) === resolve(demo.slm) && resolve(v.llm ?? demo.llm) === resolve(demo.llm);
}

export async function openPair(v: ModelValues): Promise<ModelPair> {
    return (await openPairs(v, 1))[0];
}

/** `count` pairs on the same model files (loaded once) and, with --llm-url, the same server: `rstitch load`'s clients. */
export async function openPairs(v: ModelValues, count: number): Promise<ModelPair[]> {
    const llmServer = serverSettings(v);
    if (llmServer && v.slm === undefined && !existsSync(demoModelPaths(packageRoot()).slm)) {
        throw new UsageError(`The embedded demo SLM is missing; pass the small model: --slm SMALL.gguf`);
    }
    if (!llmServer && (v.slm === undefined) !== (v.llm === undefined)) {
        const [given, missing] = v.slm !== undefined ? [`--slm ${v.slm}`, "--llm"] : [`--llm ${v.llm}`, "--slm"];
        throw new UsageError(`${given} was given without ${missing}. Give both --slm and --llm (two GGUF files that share a tokenizer), or neither to use the embedded demo pair.`);
    }
    const demo = demoModelPaths(packageRoot());
    const slmPath = v.slm ?? demo.slm;
    const llmPath = v.llm ?? demo.llm;
    if (!llmServer && v.slm === undefined && !(existsSync(demo.slm) && existsSync(demo.llm))) {
        throw new UsageError(`The embedded demo models are missing (${demo.slm}). Pass two GGUF files that share a tokenizer: --slm SMALL.gguf --llm LARGE.gguf`);
    }
    const gpuLayers = number("gpu-layers", v["gpu-layers"], 0, 999, true) ?? 0;
    let pairs: ModelPair[];
    try {
        const options = {
            slmPath: resolve(slmPath),
            llmPath: resolve(llmPath),
            threads: number("threads", v.threads, 0, 256, true),
            contextSize: number("context", v.context, 64, 1_048_576, true),
            gpuLayers,
            flashAttention: flashAttention(v["flash-attention"]),
        };
        if (count === 1) pairs = [await loadPair({ ...options, llmServer })];
        else if (llmServer) pairs = await loadPairs({ ...options, llmServer }, count);
        else throw new UsageError("Several clients at once need the LLM on a server: --llm-url URL.");
    } catch (e) {
        // A load failure is about the files given (missing, damaged, refused by llama.cpp): bad input.
        // A server that is down or slow is a runtime failure (exit 1).
        if (e instanceof PairLoadError && e.code !== "server") throw new UsageError(e.message);
        throw e;
    }
    const gpuProblem = await gpuOffloadProblem(gpuLayers);
    if (gpuProblem) process.stderr.write(`rstitch: ${gpuProblem.replace("GPU layers were", "GPU layers (--gpu-layers) were")}\n`);
    return pairs;
}

/** Named pairs in models/: demo (the embedded one) and paper (models/paper-slm.gguf + paper-llm.gguf). */
export function pairFiles(name: string | undefined): { slm?: string; llm?: string } {
    if (name === undefined || name === "demo") return {};
    const files = { slm: join(packageRoot(), "models", `${name}-slm.gguf`), llm: join(packageRoot(), "models", `${name}-llm.gguf`) };
    if (!existsSync(files.slm) || !existsSync(files.llm)) throw new UsageError(`No pair "${name}": expected ${files.slm} and ${files.llm}.`);
    return files;
}
