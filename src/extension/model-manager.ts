/**
 * Owns the loaded model pair. The pair is loaded lazily at the first request; when model-related
 * settings change, the next request loads a new pair and the old one is disposed (at once when
 * idle, otherwise as soon as its answer is finished). No `vscode` import.
 */
import { basename } from "node:path";
import { defaultThreads, demoModelPaths, loadPair, type ModelPair } from "./decoder.ts";
import type { Log } from "./log.ts";
import type { Settings } from "./settings-schema.ts";

export interface PairSpec {
    slmPath: string;
    llmPath: string;
    contextSize: number;
    threads: number;
    gpuLayers: number;
    /** Empty: the LLM is local (llmPath). Else the llama-server that runs the LLM. */
    llmServerUrl: string;
    llmServerTimeoutMs: number;
    llmServerApi: Settings["llmServerApi"];
    /** Which of the two are the embedded demo models. */
    demo: { slm: boolean; llm: boolean };
}

/** Turns settings (paths already expanded) into the pair to load; empty paths mean the demo models. */
export function pairSpec(settings: Settings, extensionRoot: string): PairSpec {
    const demo = demoModelPaths(extensionRoot);
    return {
        slmPath: settings.slmModelPath || demo.slm,
        llmPath: settings.llmModelPath || demo.llm,
        contextSize: settings.contextSize,
        threads: settings.threads > 0 ? settings.threads : defaultThreads(),
        gpuLayers: settings.gpuLayers,
        llmServerUrl: settings.llmServerUrl,
        llmServerTimeoutMs: settings.llmServerTimeout * 1000,
        llmServerApi: settings.llmServerApi,
        demo: { slm: settings.slmModelPath === "", llm: settings.llmModelPath === "" },
    };
}

const specKey = (s: PairSpec, keyVersion = 0) =>
    JSON.stringify([s.slmPath, s.llmServerUrl ? [s.llmServerUrl, s.llmServerTimeoutMs, s.llmServerApi, keyVersion] : s.llmPath, s.contextSize, s.threads, s.gpuLayers]);

const modelName = (path: string) => basename(path).replace(/\.gguf$/i, "");

/** "demo-slm + demo-llm", or "demo-slm + LLM: remote (gpu-box:8080)" */
export function pairLabel(spec: PairSpec): string {
    if (spec.llmServerUrl) return `${modelName(spec.slmPath)} + ${remoteLabel(spec.llmServerUrl)}`;
    return `${modelName(spec.slmPath)} + ${modelName(spec.llmPath)}`;
}

export function remoteLabel(url: string): string {
    let host = url;
    try {
        host = new URL(url).host;
    } catch {
        // keep the URL as given
    }
    return `LLM: remote (${host})`;
}

export class ModelManager {
    private current: { key: string; pair: ModelPair } | undefined;
    private loading: { key: string; promise: Promise<ModelPair> } | undefined;
    private inUse = 0;
    /** Pairs loaded so far (a test hook: shows when a settings change caused a reload). */
    loads = 0;

    /** Bumped when the API key changes, so the next request reconnects with the new key. */
    private keyVersion = 0;

    /** `apiKey` reads the key of the server at this URL from the editor's secret storage (never from settings). */
    constructor(private readonly log: Log, private readonly apiKey: (url: string) => Promise<string | undefined> = async () => undefined) {}

    /** The LLM server's API key was set or removed: reconnect at the next request. */
    async apiKeyChanged(): Promise<void> {
        this.keyVersion++;
        if (this.current?.pair.remoteLlm && this.inUse === 0) await this.disposeCurrent("LLM server API key changed");
    }

    /** True when `spec` would be answered by the pair already loaded. */
    isLoaded(spec: PairSpec): boolean {
        return this.current?.key === specKey(spec, this.keyVersion);
    }

    /**
     * Returns a pair for `spec`, loading it (and disposing an outdated one) when needed. Pair with
     * `release()` once the request is over.
     */
    async acquire(spec: PairSpec): Promise<ModelPair> {
        const key = specKey(spec, this.keyVersion);
        if (this.current?.key !== key) {
            await this.disposeCurrent("settings changed");
            if (this.loading?.key !== key) {
                const started = Date.now();
                const llmWhere = spec.llmServerUrl ? `the LLM server at ${spec.llmServerUrl}` : spec.llmPath;
                this.log.info(`Loading models: SLM ${spec.slmPath}, LLM ${llmWhere} (context ${spec.contextSize}, threads ${spec.threads}, GPU layers ${spec.gpuLayers})`);
                const promise = (spec.llmServerUrl ? this.apiKey(spec.llmServerUrl) : Promise.resolve(undefined)).then((apiKey) => loadPair({
                    slmPath: spec.slmPath,
                    llmPath: spec.llmPath,
                    contextSize: spec.contextSize,
                    threads: spec.threads,
                    gpuLayers: spec.gpuLayers,
                    llmServer: spec.llmServerUrl ? { url: spec.llmServerUrl, apiKey, timeoutMs: spec.llmServerTimeoutMs, api: spec.llmServerApi } : undefined,
                }));
                this.loading = { key, promise };
                promise.then(
                    () => this.log.info(`Models loaded in ${Date.now() - started} ms.`),
                    () => undefined,
                );
            }
            const loading = this.loading!;
            try {
                const pair = await loading.promise;
                if (this.loading === loading) {
                    this.loading = undefined;
                    this.loads++;
                }
                this.current = { key, pair };
            } catch (err) {
                if (this.loading === loading) this.loading = undefined;
                throw err;
            }
        }
        this.inUse++;
        return this.current!.pair;
    }

    release(): void {
        this.inUse = Math.max(0, this.inUse - 1);
    }

    /** Settings changed: free the old pair now if nothing uses it (the next request loads anew). */
    async settingsChanged(spec: PairSpec): Promise<void> {
        if (this.current && this.current.key !== specKey(spec, this.keyVersion) && this.inUse === 0) {
            await this.disposeCurrent("model settings changed");
        }
    }

    /** Name of the loaded pair, if any. */
    describeLoaded(): string | undefined {
        if (!this.current) return undefined;
        const d = this.current.pair.describe();
        const remote = this.current.pair.remoteLlm;
        return `${d.slm.name} + ${remote ? remoteLabel(remote.url) : d.llm.name}`;
    }

    async dispose(): Promise<void> {
        await this.disposeCurrent("extension deactivated");
    }

    private async disposeCurrent(why: string): Promise<void> {
        const old = this.current;
        if (!old) return;
        this.current = undefined;
        this.log.info(`Unloading models (${why}).`);
        try {
            await old.pair.dispose();
        } catch (err) {
            this.log.warn(`Unloading the old models failed: ${String(err)}`);
        }
    }
}
