/**
 * Loads node-llama-cpp lazily. It is ESM-only with native binaries, so the CommonJS extension bundle
 * must reach it through a real dynamic import(), which esbuild leaves as is for Node targets.
 */
import type { Llama } from "node-llama-cpp";

export type NodeLlamaCpp = typeof import("node-llama-cpp");

let lib: Promise<NodeLlamaCpp> | undefined;
const llamas = new Map<string, Promise<Llama>>();

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
            m.getLlama({ gpu: useGpu ? "auto" : false, build: "never", logLevel: m.LlamaLogLevel.error }),
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
