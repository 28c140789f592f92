/** `rstitch models list | check | pull` as a user runs them (the built dist/cli.js), pull against a server on 127.0.0.1. */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { CATALOGUE, validateCatalogue, CatalogueError } from "../../src/models/catalogue.ts";
import { fixtures } from "../support/fixtures.ts";
import { startModelServer, type ModelServer } from "../support/model-server.ts";

const CLI = "dist/cli.js";
const f = fixtures();
const SLM = readFileSync("models/demo-slm.gguf");
const LLM = readFileSync("models/demo-llm.gguf");
// The first catalogue pair, served with the demo pair's bytes at its real Hugging Face paths.
const PAIR = CATALOGUE.pairs[0];
const served = (uri: string) => {
    const [user, repo, ...file] = uri.replace(/^hf:/, "").split("/");
    return `/${user}/${repo}/resolve/main/${file.join("/")}`;
};

let server: ModelServer;
const dirs: string[] = [];
before(async () => {
    server = await startModelServer({ [served(PAIR.slm.uri)]: SLM, [served(PAIR.llm.uri)]: LLM });
});
after(async () => {
    await server.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const freshDir = () => {
    const d = mkdtempSync(join(tmpdir(), "rstitch-cli-models-"));
    dirs.push(d);
    return d;
};

function rstitch(args: string[], env: NodeJS.ProcessEnv = {}) {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...process.env, ...env }, timeout: 120_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Asynchronous run: the test's own server must keep answering while the CLI downloads. */
function rstitchAsync(args: string[], env: NodeJS.ProcessEnv, onStderr?: (text: string, child: ReturnType<typeof spawn>) => void) {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => {
        stderr += c;
        onStderr?.(stderr, child);
    });
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

test("models list names every pair with its sizes, memory, τ and tokenizer claim", () => {
    const r = rstitch(["models", "list"], { RSTITCH_MODELS_DIR: "/tmp/rstitch-none" });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /download folder: \/tmp\/rstitch-none/);
    for (const p of CATALOGUE.pairs) {
        assert.ok(r.stdout.includes(p.id), p.id);
        assert.ok(r.stdout.includes(`${p.slm.name} ${p.slm.quantisation} + LLM ${p.llm.name} ${p.llm.quantisation}`));
        assert.ok(r.stdout.includes(`memory ≈ ${p.memoryGB} GB · start with τ = ${p.threshold}`));
    }
});

test("models list --json: one object with at least three complete pairs", () => {
    const r = rstitch(["models", "list", "--json"], { RSTITCH_MODELS_DIR: "/tmp/rstitch-none" });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.dir, "/tmp/rstitch-none");
    assert.ok(out.pairs.length >= 3, `${out.pairs.length} pairs`);
    for (const p of out.pairs) {
        for (const m of [p.slm, p.llm]) {
            assert.match(m.uri, /^hf:[^/]+\/[^/]+-GGUF\/[^/]+\.gguf$/);
            assert.ok(m.uri.endsWith(`/${m.file}`), "the file name is the URI's");
            assert.ok(m.sizeGB > 0 && m.quantisation);
        }
        assert.ok(p.slm.sizeGB < p.llm.sizeGB, `${p.id}: the SLM is the smaller file`);
        assert.equal(p.downloadGB, Math.round((p.slm.sizeGB + p.llm.sizeGB) * 10) / 10);
        assert.ok(p.threshold > 0 && p.threshold < 1 && p.memoryGB > p.downloadGB);
        assert.ok(p.tokenizer.evidence.length > 40, "says what the tokenizer claim rests on");
        assert.equal(p.downloaded, false);
        assert.equal(p.paths.llm, join("/tmp/rstitch-none", p.llm.file));
    }
    assert.equal(new Set(out.pairs.map((p: { family: string }) => p.family)).size >= 2, true, "more than one family");
});

test("a malformed catalogue is refused naming the field", () => {
    const good = JSON.parse(JSON.stringify(CATALOGUE));
    good.pairs[1].llm.uri = "https://example.com/x.gguf";
    assert.throws(() => validateCatalogue(good), (e: unknown) => e instanceof CatalogueError && /pairs\[1\]\.llm\.uri must name one GGUF file/.test((e as Error).message));
    const dup = JSON.parse(JSON.stringify(CATALOGUE));
    dup.pairs[1].id = dup.pairs[0].id;
    assert.throws(() => validateCatalogue(dup), /appears twice/);
    const tau = JSON.parse(JSON.stringify(CATALOGUE));
    tau.pairs[0].threshold = 3;
    assert.throws(() => validateCatalogue(tau), /pairs\[0\]\.threshold must be a number in \(0, 1\]/);
});

test("models check: the demo pair can stitch (exit 0)", () => {
    const r = rstitch(["models", "check", "models/demo-slm.gguf", "models/demo-llm.gguf"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^OK: these two models can stitch\. SLM .*, LLM .*; one tokenizer of 260 tokens\.$/m);
});

for (const [what, args, message] of [
    ["a file that is not GGUF", ["package.json", "models/demo-llm.gguf"], /cannot stitch: The small \(SLM\) model file .*package\.json is not a usable GGUF file: it does not start with "GGUF"/],
    ["a missing file", ["models/demo-slm.gguf", "/no/such.gguf"], /cannot stitch: The large \(LLM\) model file was not found.*\/no\/such\.gguf/],
    ["two models with different tokenizers", [f.otherTokenizer, f.llm], /cannot stitch: These two models do not share a tokenizer.*token 256 differs/],
] as const) {
    test(`models check refuses ${what} with exit 2 and the reason`, () => {
        const r = rstitch(["models", "check", ...args]);
        assert.equal(r.code, 2, r.stdout);
        assert.match(r.stderr, message);
        assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    });
}

test("models: usage mistakes exit 2 with a message", () => {
    for (const [args, message] of [
        [["models", "pull", "no-such-pair"], /Unknown pair "no-such-pair"\. Pairs: qwen3-0\.6b-8b,/],
        [["models", "pull"], /Name one pair to download/],
        [["models", "check", "a.gguf"], /Give two GGUF files/],
        [["models", "fetch"], /Unknown models command "fetch"/],
    ] as const) {
        const r = rstitch([...args]);
        assert.equal(r.code, 2, args.join(" "));
        assert.match(r.stderr, message);
    }
});

test("models pull downloads the pair from the endpoint, checks it and says how to use it; a second pull fetches nothing", async () => {
    const dir = freshDir();
    const env = { RSTITCH_MODEL_ENDPOINT: server.url, RSTITCH_MODELS_DIR: dir };
    const r = await rstitchAsync(["models", "pull", PAIR.id], env);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(readFileSync(join(dir, PAIR.slm.file)).equals(SLM));
    assert.ok(readFileSync(join(dir, PAIR.llm.file)).equals(LLM));
    assert.match(r.stderr, /\[#{30}\] 100% /, "a progress bar that reached 100%");
    assert.match(r.stdout, /OK: these two models can stitch/);
    assert.ok(r.stdout.includes(`rstitch solve --slm "${join(dir, PAIR.slm.file)}" --llm "${join(dir, PAIR.llm.file)}" --threshold ${PAIR.threshold}`));

    const n = server.requests.length;
    const again = await rstitchAsync(["models", "pull", PAIR.id, "--dir", dir], { RSTITCH_MODEL_ENDPOINT: server.url });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(server.requests.length, n, "already downloaded: no request");
    assert.match(JSON.parse(rstitch(["models", "list", "--json"], env).stdout).pairs[0].downloaded ? "yes" : "no", /yes/);
});

test("models pull: a server error exits 1 with the status and leaves nothing at the final paths", async () => {
    const dir = freshDir();
    server.behave(served(PAIR.llm.uri), { status: 503 });
    try {
        const r = await rstitchAsync(["models", "pull", PAIR.id, "--dir", dir], { RSTITCH_MODEL_ENDPOINT: server.url });
        assert.equal(r.code, 1);
        assert.match(r.stderr, /rstitch: Downloading Qwen3-8B failed: .* answered HTTP 503, a server error\. Try again later\./);
    } finally {
        server.behave(served(PAIR.llm.uri), undefined);
    }
    assert.ok(!existsSync(join(dir, PAIR.slm.file)) && !existsSync(join(dir, PAIR.llm.file)));
});

test("models pull: Ctrl-C cancels (exit 130), keeps the partial file out of place, and the next pull resumes", async () => {
    const dir = freshDir();
    server.behave(served(PAIR.llm.uri), { holdRangeStart: 0 });
    let sent = false;
    const r = await rstitchAsync(["models", "pull", PAIR.id, "--dir", dir], { RSTITCH_MODEL_ENDPOINT: server.url }, (text, child) => {
        // Progress lines come per 10% on a pipe; once the LLM is under way, press Ctrl-C.
        if (!sent && /\] +[3-9]\d% /.test(text)) {
            sent = true;
            child.kill("SIGINT");
        }
    });
    server.behave(served(PAIR.llm.uri), undefined);
    assert.ok(sent, r.stderr);
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /Download cancelled\. The part downloaded so far is kept in .*\.partial; run the download again to resume\./);
    assert.ok(!existsSync(join(dir, PAIR.llm.file)));

    const resumed = await rstitchAsync(["models", "pull", PAIR.id, "--dir", dir], { RSTITCH_MODEL_ENDPOINT: server.url });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.ok(readFileSync(join(dir, PAIR.llm.file)).equals(LLM));
});

test("--gpu-layers: the models still answer, and the CLI says so when no GPU backend can take the layers", async () => {
    const { gpuOffloadProblem } = await import("../../src/stitch/index.ts");
    const expected = await gpuOffloadProblem(8); // this machine's real answer: null only with a GPU build and a GPU
    const r = rstitch(["solve", "--budget", "6", "--threads", "1", "--gpu-layers", "8", "What is 47 * 36?"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /6 tokens: SLM/);
    if (expected) assert.match(r.stderr, /8 GPU layers \(--gpu-layers\) were asked for, but llama\.cpp found no GPU backend it can use, so the models run on the CPU/);
    else assert.doesNotMatch(r.stderr, /GPU/);
    const bad = rstitch(["solve", "--gpu-layers", "many", "x"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--gpu-layers must be a whole number, got "many"/);
});
