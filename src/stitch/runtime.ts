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
