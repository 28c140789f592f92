/**
 * Downloads a catalogue pair with node-llama-cpp's own downloader (ipull underneath: parallel ranged
 * requests, retries, resume from its `.ipull` progress file). Around it, what a model file needs:
 * - a preflight request per file: a clear message for 401/403/404/5xx at once (ipull itself would
 *   retry a 5xx for minutes), and each file's size for
 * - a disk-space check before any byte is written;
 * - files are downloaded into `<dir>/.partial/` and moved to `<dir>/` only when complete and readable
 *   as GGUF, so a partial file is never at a path a model is loaded from;
 * - cancel (AbortSignal) keeps the partial file, and the next download resumes from it;
 * - a stall watchdog: no byte for `stallMs` ends the download with a message instead of a silent wait.
 * No `vscode` import.
 */
import { mkdir, open, rename, rm, rmdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { CatalogueModel, CataloguePair } from "./catalogue.ts";
import { freeBytes as realFreeBytes, spaceShortage } from "./disk-space.ts";
import { nodeLlamaCpp } from "../stitch/runtime.ts";
import type { DownloadErrorCode } from "../error-codes.ts";

export const PARTIAL_DIR = ".partial";
const HUGGING_FACE = "https://huggingface.co/";
const PREFLIGHT_TIMEOUT_MS = 30_000;

export type { DownloadErrorCode };

export class DownloadError extends Error {
    constructor(readonly code: DownloadErrorCode, message: string) {
        super(message);
        this.name = "DownloadError";
    }
}

export interface DownloadProgress {
    downloaded: number;
    total: number;
}

export interface DownloadRequest {
    pair: CataloguePair;
    /** Folder the finished files go to. */
    dir: string;
    /** Base URL for hf: URIs (a mirror, or a test server); default: see modelEndpoint(). */
    endpoint?: string;
    signal?: AbortSignal;
    onProgress?: (p: DownloadProgress) => void;
    /** Milliseconds without a new byte before giving up (default 120 s). */
    stallMs?: number;
    /** Free bytes in a folder (tests replace it). */
    freeBytes?: (dir: string) => Promise<number>;
}

export interface DownloadResult {
    slmPath: string;
    llmPath: string;
    /** Bytes fetched by this call (0 when both files were already there). */
    fetchedBytes: number;
}

/** The base URL for hf: URIs: explicit, else $RSTITCH_MODEL_ENDPOINT, $MODEL_ENDPOINT, $HF_ENDPOINT, else Hugging Face. */
export function modelEndpoint(env: Record<string, string | undefined> = process.env, explicit?: string): string {
    const url = explicit || env.RSTITCH_MODEL_ENDPOINT || env.MODEL_ENDPOINT || env.HF_ENDPOINT || HUGGING_FACE;
    return url.endsWith("/") ? url : url + "/";
}

/** hf:<user>/<repo>/<path> → <endpoint><user>/<repo>/resolve/main/<path> (what node-llama-cpp resolves it to). */
export function fileUrl(uri: string, endpoint: string): string {
    const [user, repo, ...path] = uri.replace(/^hf:/, "").split("/");
    return `${endpoint}${encodeURIComponent(user)}/${encodeURIComponent(repo)}/resolve/main/${path.map(encodeURIComponent).join("/")}`;
}

function httpMessage(status: number, model: CatalogueModel, url: string): string {
    const base = `Downloading ${model.name} failed: ${url} answered HTTP ${status}`;
    if (status === 401 || status === 403) return `${base}. The repository may need a login or an accepted licence: set HF_TOKEN to a Hugging Face access token and try again.`;
    if (status === 404) return `${base} (not found). The file may have been renamed or removed; check the repository, or update R-Stitch.`;
    if (status >= 500) return `${base}, a server error. Try again later.`;
    return `${base}.`;
}

/** Size of the remote file, or a DownloadError that says why it cannot be fetched. */
async function remoteSize(model: CatalogueModel, url: string, signal?: AbortSignal): Promise<number> {
    const signals = [AbortSignal.timeout(PREFLIGHT_TIMEOUT_MS), ...(signal ? [signal] : [])];
    const headers: Record<string, string> = process.env.HF_TOKEN ? { authorization: `Bearer ${process.env.HF_TOKEN}` } : {};
    let response: Response;
    try {
        response = await fetch(url, { method: "HEAD", redirect: "follow", headers, signal: AbortSignal.any(signals) });
        if (response.status === 405 || response.status === 501) {
            response = await fetch(url, { headers: { ...headers, range: "bytes=0-0" }, redirect: "follow", signal: AbortSignal.any(signals) });
            await response.body?.cancel();
        }
    } catch (e) {
        if (signal?.aborted) throw new DownloadError("cancelled", "Download cancelled.");
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        throw new DownloadError("network", `Cannot reach ${new URL(url).origin} to download ${model.name}: ${cause?.code ?? cause?.message ?? (e as Error).message}. Check the network connection (or the proxy) and try again.`);
    }
    if (!response.ok) throw new DownloadError("http", httpMessage(response.status, model, url));
    const range = /\/(\d+)$/.exec(response.headers.get("content-range") ?? "");
    const size = Number(range?.[1] ?? response.headers.get("x-linked-size") ?? response.headers.get("content-length"));
    if (!Number.isFinite(size) || size <= 0) throw new DownloadError("http", `Downloading ${model.name} failed: ${url} did not say how large the file is.`);
    return size;
}

async function exists(path: string): Promise<boolean> {
    return stat(path).then((s) => s.isFile(), () => false);
}

/** Bytes a partial download already occupies on disk (its blocks: ipull may write sparsely). */
async function partialBytes(path: string, size: number): Promise<number> {
    const s = await stat(path).catch(() => undefined);
    return s ? Math.min(size, s.blocks * 512) : 0;
}

/**
 * ipull keeps its resume record (a JSON object) after the file's last byte and cuts it off when the
 * download finishes; a record write still in flight at that moment lands after the cut (seen once in
 * CI: 67 bytes past a 14.6 MB file). Such a tail is cut again here, so a complete download is not
 * thrown away. Anything else past the announced size is left for `verify` to refuse.
 */
export async function trimResumeRecord(path: string, size: number): Promise<boolean> {
    const file = await open(path, "r+");
    try {
        const extra = (await file.stat()).size - size;
        if (extra <= 0 || extra > 1 << 20) return false;
        const tail = Buffer.alloc(extra);
        await file.read(tail, 0, extra, size);
        let record: unknown;
        try {
            record = JSON.parse(tail.toString("utf8"));
        } catch {
            return false;
        }
        if (record === null || typeof record !== "object" || Array.isArray(record)) return false;
        await file.truncate(size);
        return true;
    } finally {
        await file.close();
    }
}

/** The finished file must have the announced size and read as GGUF, or it is removed. */
async function verify(path: string, model: CatalogueModel, size: number): Promise<void> {
    await trimResumeRecord(path, size);
    const actual = (await stat(path)).size;
    let problem = actual !== size ? `it has ${actual} bytes, the server announced ${size}` : null;
    if (!problem) {
        const lib = await nodeLlamaCpp();
        problem = await lib.readGgufFileInfo(path, { readTensorInfo: false }).then(() => null, (e: Error) => `it is not a readable GGUF file (${e.message})`);
    }
    if (problem) {
        await rm(path, { force: true });
        throw new DownloadError("bad-file", `The download of ${model.name} is unusable: ${problem}. It was deleted; run the download again.`);
    }
}

export async function downloadPair(req: DownloadRequest): Promise<DownloadResult> {
    const { pair, dir } = req;
    const endpoint = modelEndpoint(process.env, req.endpoint);
    const partialDir = join(dir, PARTIAL_DIR);
    const models = [pair.slm, pair.llm];
    const finals = models.map((m) => join(dir, m.file));
    const result = { slmPath: finals[0], llmPath: finals[1], fetchedBytes: 0 };

    const missing = [];
    for (const [i, m] of models.entries()) if (!(await exists(finals[i]))) missing.push(m);
    if (missing.length === 0) return result;

    await mkdir(partialDir, { recursive: true });
    const sizes = new Map<CatalogueModel, number>();
    for (const m of missing) sizes.set(m, await remoteSize(m, fileUrl(m.uri, endpoint), req.signal));

    let needed = 0;
    for (const m of missing) needed += sizes.get(m)! - (await partialBytes(join(partialDir, `${m.file}.ipull`), sizes.get(m)!));
    const shortage = spaceShortage(needed, await (req.freeBytes ?? realFreeBytes)(dir), dir);
    if (shortage) throw new DownloadError("disk-space", shortage);

    const lib = await nodeLlamaCpp();
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    req.signal?.addEventListener("abort", onAbort, { once: true });
    if (req.signal?.aborted) stop.abort(); // cancelled while the preflight ran
    const stallMs = req.stallMs ?? 120_000;
    let stalled = false;
    let lastBytes = -1;
    let watchdog: NodeJS.Timeout | undefined;
    const armWatchdog = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => {
            stalled = true;
            stop.abort();
        }, stallMs);
    };

    // One file after the other, each with its own createModelDownloader: combineModelDownloaders
    // would be one progress bar, but ipull 3.9's multi-download runs every file's finish hook even
    // when cancelled, which truncates the resume record away (measured: a resumed download started
    // from byte 0).
    const total = missing.reduce((n, m) => n + sizes.get(m)!, 0);
    let done = 0;
    try {
        for (const m of missing) {
            const downloader = await lib.createModelDownloader({
                modelUri: m.uri,
                dirPath: partialDir,
                fileName: m.file,
                endpoints: { huggingFace: endpoint },
                skipExisting: true,
                deleteTempFileOnCancel: false,
                onProgress: ({ downloadedSize }) => {
                    if (done + downloadedSize > lastBytes) {
                        lastBytes = done + downloadedSize;
                        armWatchdog();
                    }
                    req.onProgress?.({ downloaded: done + downloadedSize, total });
                },
            });
            const before = downloader.downloadedSize;
            armWatchdog();
            try {
                await downloader.download({ signal: stop.signal });
            } finally {
                // A cancelled ipull download can also end without an error: the signal says what happened.
                if (stop.signal.aborted) await downloader.cancel({ deleteTempFile: false }).catch(() => undefined);
            }
            if (stop.signal.aborted) throw stop.signal.reason;
            result.fetchedBytes += Math.max(0, downloader.downloadedSize - before);
            done += sizes.get(m)!;
        }
    } catch (e) {
        if (stop.signal.aborted) {
            const kept = `The part downloaded so far is kept in ${partialDir}; run the download again to resume.`;
            if (stalled) throw new DownloadError("stalled", `The download stalled: no data for ${Math.round(stallMs / 1000)} s. ${kept}`);
            throw new DownloadError("cancelled", `Download cancelled. ${kept}`);
        }
        if (e instanceof DownloadError) throw e;
        const status = (e as { statusCode?: number }).statusCode;
        if (typeof status === "number") throw new DownloadError("http", `The download failed: the server answered HTTP ${status}. Run it again to resume.`);
        throw new DownloadError("network", `The download failed: ${(e as Error).message}. Run it again to resume.`);
    } finally {
        clearTimeout(watchdog);
        req.signal?.removeEventListener("abort", onAbort);
    }

    for (const [i, m] of models.entries()) {
        if (!missing.includes(m)) continue;
        const staged = join(partialDir, m.file);
        await verify(staged, m, sizes.get(m)!);
        await rename(staged, finals[i]);
    }
    await rmdir(partialDir).catch(() => undefined); // only when empty: other partial downloads stay
    return result;
}

