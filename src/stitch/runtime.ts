/**
 * Loads node-llama-cpp lazily. It is ESM-only with native binaries, so the CommonJS extension bundle
 * must reach it through a real dynamic import(), which esbuild leaves as is for Node targets.
 */
import type { Llama } from "node-llama-cpp";

export type NodeLlamaCpp = typeof import("node-llama-cpp");

let lib: Promise<NodeLlamaCpp> | undefined;
const llamas = new Map<string, Promise<Llama>>();

/** llama.cpp's recent error and warning lines, so a refused load can say why. */
const LOG_LINES = 50;
const log: string[] = [];
let logged = 0;

function remember(message: string): void {
    for (const line of message.split("\n")) {
        if (!line.trim()) continue;
        log.push(line.trim().slice(0, 400));
        logged++;
        if (log.length > LOG_LINES) log.shift();
    }
}

/** A mark in llama.cpp's log; `logSince(mark)` gives the lines written after it. */
export function logMark(): number {
    return logged;
}

export function logSince(mark: number): string[] {
    const fresh = Math.min(logged - mark, log.length);
    return fresh > 0 ? log.slice(log.length - fresh) : [];
}

export function nodeLlamaCpp(): Promise<NodeLlamaCpp> {
    lib ??= import("node-llama-cpp");
    return lib;
}

/** One llama.cpp backend per GPU choice for the whole process; CPU prebuilt, never a source build. */
export function getBackend(useGpu: boolean): Promise<Llama> {
    const key = useGpu ? "auto" : "cpu";
    let backend = llamas.get(key);
    if (!backend) {
        backend = nodeLlamaCpp().then((m) =>
            m.getLlama({
                gpu: useGpu ? "auto" : false, build: "never", logLevel: m.LlamaLogLevel.warn,
                // Kept, not printed: a refused load quotes the reason in its own message.
                logger: (level, message) => {
                    if (level === m.LlamaLogLevel.error || level === m.LlamaLogLevel.fatal || level === m.LlamaLogLevel.warn) remember(message);
                },
            }),
        );
        backend.catch(() => llamas.delete(key));
        llamas.set(key, backend);
    }
    return backend;
}

/**
 * Null when no GPU layers were asked for or a GPU backend loaded; else a sentence for the user. With
 * no GPU build (the default install) or no usable GPU, getLlama({gpu: "auto"}) falls back to the
 * CPU and llama.cpp ignores the layer count, so nothing fails: the user must be told instead.
 */
export async function gpuOffloadProblem(gpuLayers: number): Promise<string | null> {
    if (gpuLayers <= 0) return null;
    const llama = await getBackend(true);
    if (llama.gpu !== false) return null;
    return `${gpuLayers} GPU layers were asked for, but llama.cpp found no GPU backend it can use, so the models run on the CPU. The default install carries the CPU build only: add the GPU build for your platform (README, "GPU"), or set the GPU layers to 0.`;
}

/** "cuda", "vulkan", "metal", or false (CPU), for logs. */
export async function gpuInUse(gpuLayers: number): Promise<string | false> {
    return gpuLayers > 0 ? (await getBackend(true)).gpu : false;
}
