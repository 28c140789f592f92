/**
 * Downloading a pair through node-llama-cpp's downloader from a server of our own on 127.0.0.1:
 * a complete transfer, a connection dropped mid-file, a cancel and its resume, server errors, a full
 * disk, a stalled server and a corrupt file. At every progress report the final paths are checked:
 * a partial file must never be where a model is loaded from.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { CataloguePair } from "../../src/models/catalogue.ts";
import { DownloadError, downloadPair, fileUrl, modelEndpoint, trimResumeRecord, type DownloadRequest } from "../../src/models/download.ts";
import { checkPairFiles } from "../../src/stitch/index.ts";
import { startModelServer, type ModelServer } from "../support/model-server.ts";

const SLM = readFileSync("models/demo-slm.gguf");
const LLM = readFileSync("models/demo-llm.gguf");
const SLM_PATH = "/test/demo-GGUF/resolve/main/demo-slm.gguf";
const LLM_PATH = "/test/demo-GGUF/resolve/main/demo-llm.gguf";

const PAIR: CataloguePair = {
    id: "demo",
    family: "demo",
    description: "the embedded demo pair, served over HTTP",
    slm: { name: "demo-slm", params: "0.3M", quantisation: "F32", uri: "hf:test/demo-GGUF/demo-slm.gguf", file: "demo-slm.gguf", sizeGB: 0.001 },
    llm: { name: "demo-llm", params: "3.6M", quantisation: "F32", uri: "hf:test/demo-GGUF/demo-llm.gguf", file: "demo-llm.gguf", sizeGB: 0.015 },
    memoryGB: 0.1,
    threshold: 0.05,
    thresholdSource: "test",
    tokenizer: { expected: "identical", evidence: "test" },
};

let server: ModelServer;
const dirs: string[] = [];

before(async () => {
    server = await startModelServer({ [SLM_PATH]: SLM, [LLM_PATH]: LLM });
});
after(async () => {
    await server.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function freshDir(): string {
    const d = mkdtempSync(join(tmpdir(), "rstitch-dl-"));
    dirs.push(d);
    return d;
}

/** Runs a download, recording whether any final path existed while bytes were still coming. */
async function download(dir: string, extra: Partial<DownloadRequest> = {}) {
    const finals = [join(dir, PAIR.slm.file), join(dir, PAIR.llm.file)];
    const partialAtFinal: string[] = [];
    let reports = 0;
    const run = downloadPair({
        pair: PAIR,
        dir,
        endpoint: server.url,
        ...extra,
        onProgress: (p) => {
            reports++;
            for (const f of finals) if (existsSync(f)) partialAtFinal.push(`${f} at ${p.downloaded}/${p.total}`);
            extra.onProgress?.(p);
        },
    });
    return { run, finals, partialAtFinal: () => partialAtFinal, reports: () => reports };
}

const requestsSince = (n: number) => server.requests.slice(n);
const rangedGets = (n: number, path: string) => requestsSince(n).filter((r) => r.method === "GET" && r.path === path && r.range);

test("an hf: URI resolves to the endpoint's /resolve/main/ path, and the endpoint can be set by the environment", () => {
    assert.equal(fileUrl("hf:Qwen/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf", "https://huggingface.co/"), "https://huggingface.co/Qwen/Qwen3-0.6B-GGUF/resolve/main/Qwen3-0.6B-Q8_0.gguf");
    assert.equal(modelEndpoint({}), "https://huggingface.co/");
    assert.equal(modelEndpoint({ HF_ENDPOINT: "http://mirror:8080" }), "http://mirror:8080/");
    assert.equal(modelEndpoint({ HF_ENDPOINT: "http://a/", RSTITCH_MODEL_ENDPOINT: "http://b/" }), "http://b/");
    assert.equal(modelEndpoint({ RSTITCH_MODEL_ENDPOINT: "http://b/" }, "http://c"), "http://c/");
});

test("a complete transfer: both files byte-equal, moved into place only when complete, and they pass the pair check", async () => {
    const dir = freshDir();
    const d = await download(dir);
    const r = await d.run;
    assert.equal(r.slmPath, d.finals[0]);
    assert.equal(r.llmPath, d.finals[1]);
    assert.ok(readFileSync(r.slmPath).equals(SLM), "SLM bytes equal");
    assert.ok(readFileSync(r.llmPath).equals(LLM), "LLM bytes equal");
    assert.equal(r.fetchedBytes, SLM.length + LLM.length);
    assert.ok(d.reports() > 0, "progress was reported");
    assert.deepEqual(d.partialAtFinal(), [], "no file at a final path while downloading");
    assert.deepEqual(readdirSync(dir).sort(), [PAIR.slm.file, PAIR.llm.file].sort(), "the staging folder is gone");
    const check = await checkPairFiles(r.slmPath, r.llmPath);
    assert.equal(check.slm.vocabularySize, check.llm.vocabularySize);

    const n = server.requests.length;
    const again = await downloadPair({ pair: PAIR, dir, endpoint: server.url });
    assert.equal(again.fetchedBytes, 0);
    assert.deepEqual(requestsSince(n), [], "files already in place: not a single request");
});

test("a connection dropped mid-file: the downloader asks again with a Range request and the file is still byte-equal", async () => {
    const dir = freshDir();
    server.behave(LLM_PATH, { dropAfter: 3_000_000 });
    const n = server.requests.length;
    try {
        const d = await download(dir);
        const r = await d.run;
        assert.ok(readFileSync(r.llmPath).equals(LLM), "LLM bytes equal after the drop");
        assert.deepEqual(d.partialAtFinal(), []);
        const gets = rangedGets(n, LLM_PATH);
        const dropped = gets.findIndex((g) => g.sent === 3_000_000);
        assert.ok(dropped >= 0, `the server dropped one ranged request: ${JSON.stringify(gets)}`);
        const start = gets[dropped].range!.split("-")[0];
        assert.ok(gets.slice(dropped + 1).some((g) => g.range!.startsWith(start)), "the same range was requested again after the drop");
    } finally {
        server.behave(LLM_PATH, undefined);
    }
});

test("cancel keeps the part downloaded so far out of the final path, and the next download resumes from it", async () => {
    const dir = freshDir();
    // The first partition of the LLM hangs; the others complete, so there is progress to keep.
    server.behave(LLM_PATH, { holdRangeStart: 0 });
    const ac = new AbortController();
    const fastPart = LLM.length - 5 * 1024 * 1024; // ipull: 5 MiB chunks, three streams
    const d = await download(dir, {
        signal: ac.signal,
        onProgress: (p) => {
            if (p.downloaded >= SLM.length + fastPart) ac.abort();
        },
    });
    await assert.rejects(d.run, (e: unknown) => e instanceof DownloadError && e.code === "cancelled" && /run the download again to resume/.test(e.message));
    server.behave(LLM_PATH, undefined);
    assert.ok(!existsSync(d.finals[1]), "no LLM at the final path after a cancel");
    assert.ok(existsSync(join(dir, ".partial", `${PAIR.llm.file}.ipull`)), "the partial file is kept for resuming");
    assert.deepEqual(d.partialAtFinal(), []);

    const n = server.requests.length;
    const resumed = await downloadPair({ pair: PAIR, dir, endpoint: server.url });
    assert.ok(readFileSync(resumed.llmPath).equals(LLM), "the resumed LLM is byte-equal");
    assert.ok(readFileSync(resumed.slmPath).equals(SLM));
    const gets = rangedGets(n, LLM_PATH);
    const fetched = gets.reduce((s, g) => s + g.sent, 0);
    assert.ok(gets.length > 0, "the resume used Range requests");
    assert.ok(fetched < LLM.length - 4_000_000, `the resume fetched only the missing part: ${fetched} of ${LLM.length} bytes (${JSON.stringify(gets.map((g) => g.range))})`);
});

test("server errors: a clear message, no data request, nothing at the final paths", async () => {
    for (const [status, message] of [
        [500, /HTTP 500, a server error/],
        [404, /HTTP 404 \(not found\)/],
        [403, /HTTP 403.*HF_TOKEN/],
    ] as const) {
        const dir = freshDir();
        server.behave(LLM_PATH, { status });
        const n = server.requests.length;
        try {
            await assert.rejects(downloadPair({ pair: PAIR, dir, endpoint: server.url }), (e: unknown) => e instanceof DownloadError && e.code === "http" && message.test(e.message) && e.message.includes(LLM_PATH));
        } finally {
            server.behave(LLM_PATH, undefined);
        }
        assert.ok(!existsSync(join(dir, PAIR.slm.file)) && !existsSync(join(dir, PAIR.llm.file)), `nothing at the final paths after ${status}`);
        assert.deepEqual(requestsSince(n).filter((r) => r.method === "GET"), [], "refused before any data was asked for");
    }
});

test("a server that cannot be reached: a network error that names it", async () => {
    const dir = freshDir();
    await assert.rejects(downloadPair({ pair: PAIR, dir, endpoint: "http://127.0.0.1:9/" }), (e: unknown) => e instanceof DownloadError && e.code === "network" && /Cannot reach http:\/\/127\.0\.0\.1:9/.test(e.message));
});

test("not enough disk space: refused before any data is requested, with both sizes in the message", async () => {
    const dir = freshDir();
    const n = server.requests.length;
    await assert.rejects(
        downloadPair({ pair: PAIR, dir, endpoint: server.url, freeBytes: async () => 10_000_000 }),
        (e: unknown) => e instanceof DownloadError && e.code === "disk-space" && /needs 16\.0 MB .* and 10\.0 MB is free/.test(e.message),
    );
    assert.deepEqual(requestsSince(n).filter((r) => r.method === "GET"), []);
});

test("a stalled server ends the download with a message instead of waiting for ever", async () => {
    const dir = freshDir();
    server.behave(LLM_PATH, { holdRangeStart: 0 });
    try {
        await assert.rejects(downloadPair({ pair: PAIR, dir, endpoint: server.url, stallMs: 1500 }), (e: unknown) => e instanceof DownloadError && e.code === "stalled" && /no data for 2 s/.test(e.message));
    } finally {
        server.behave(LLM_PATH, undefined);
    }
    assert.ok(!existsSync(join(dir, PAIR.llm.file)));
});

test("a file that is not GGUF is deleted, never moved into place", async () => {
    const dir = freshDir();
    const bogus = await startModelServer({ [SLM_PATH]: SLM, [LLM_PATH]: Buffer.alloc(LLM.length, 7) });
    try {
        await assert.rejects(downloadPair({ pair: PAIR, dir, endpoint: bogus.url }), (e: unknown) => e instanceof DownloadError && e.code === "bad-file" && /demo-llm.*not a readable GGUF file/.test(e.message));
    } finally {
        await bogus.close();
    }
    assert.ok(!existsSync(join(dir, PAIR.llm.file)), "nothing at the LLM's final path");
    assert.ok(!existsSync(join(dir, ".partial", PAIR.llm.file)), "the bad file was deleted");
});

test("a resume record left after a finished file is cut off; any other tail is left for the size check", async () => {
    const dir = freshDir();
    const record = Buffer.from(JSON.stringify({ downloadedBytes: 14577376, chunks: [1, 1, 1], name: "demo-llm.gguf" }));
    const cases: [string, Buffer, boolean][] = [
        ["resume record", record, true],
        ["nothing extra", Buffer.alloc(0), false],
        ["bytes that are not JSON", Buffer.from("not a record at all"), false],
        ["JSON that is not an object", Buffer.from("[1,2,3]"), false],
    ];
    for (const [what, tail, trimmed] of cases) {
        const path = join(dir, `${what}.gguf`);
        writeFileSync(path, Buffer.concat([SLM, tail]));
        assert.equal(await trimResumeRecord(path, SLM.length), trimmed, what);
        assert.equal(readFileSync(path).length, trimmed || tail.length === 0 ? SLM.length : SLM.length + tail.length, `${what}: size`);
        if (trimmed) assert.ok(readFileSync(path).equals(SLM), `${what}: the file's own bytes are untouched`);
    }
    // After the cut the demo SLM reads as a model again (checkPairFiles throws on a damaged file).
    const withRecord = join(dir, "resume record.gguf");
    await checkPairFiles(withRecord, withRecord);
});
