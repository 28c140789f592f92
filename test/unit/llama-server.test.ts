/**
 * The llama.cpp peer's client against a stand-in llama-server of our own on 127.0.0.1: the flags it is
 * started with, the request it sends (prompt token ids, greedy, no prompt cache) and how the answer and
 * timings are read. The real server runs in test/cli/bench.test.ts when .ci/install-llama.sh installed it.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { execFileSync } from "node:child_process";
import { DEFAULT_LLAMA_DIR, findLlamaTools, LLAMA_DIR_VARIABLE, llamaEnvPath, LlamaServer } from "../../src/evaluation/llama-server.ts";

const root = join(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "rstitch-fake-llama-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const fake = join(dir, "llama-server");
writeFileSync(fake, `#!${process.execPath}
const http = require("node:http");
const fs = require("node:fs");
const args = process.argv.slice(2);
fs.writeFileSync(${JSON.stringify(join(dir, "argv.json"))}, JSON.stringify(args));
const port = Number(args[args.indexOf("--port") + 1]);
http.createServer((req, res) => {
    if (req.url === "/health") return res.end("{}");
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
        fs.writeFileSync(${JSON.stringify(join(dir, "request.json"))}, body);
        const spec = args.includes("-md");
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ content: "1+2=3 3\\nAnswer: 3", timings: { prompt_n: 20, prompt_ms: 1.5, predicted_n: 12, predicted_ms: 6.25,
            ...(spec ? { draft_n: 10, draft_n_accepted: 8 } : {}) } }));
    });
}).listen(port, "127.0.0.1");
`);
chmodSync(fake, 0o755);

test("findLlamaTools explains what is missing, and reads env.json", () => {
    assert.match(findLlamaTools(join(dir, "none.json")) as string, /not installed.*install-llama\.sh/);
    writeFileSync(join(dir, "bad.json"), "{");
    assert.match(findLlamaTools(join(dir, "bad.json")) as string, /not readable JSON/);
    writeFileSync(join(dir, "env.json"), JSON.stringify({ tag: "b1234", server: fake, speculative: "x" }));
    assert.deepEqual(findLlamaTools(join(dir, "env.json")), { tag: "b1234", server: fake });
});

test("one variable, RSTITCH_LLAMA_DIR, locates llama.cpp's tools for the benchmark, the tests and the install script", () => {
    writeFileSync(join(dir, "env.json"), JSON.stringify({ tag: "b1234", server: fake }));
    assert.equal(llamaEnvPath({ [LLAMA_DIR_VARIABLE]: dir }), join(dir, "env.json"));
    assert.equal(llamaEnvPath({}), join(DEFAULT_LLAMA_DIR, "env.json"));
    // The module reads it from the environment it starts in (the benchmark's and the tests' path).
    const seen = execFileSync(process.execPath, ["--import", "tsx", "-e", 'import("./src/evaluation/llama-server.ts").then((m) => console.log(JSON.stringify(m.findLlamaTools())))'], {
        cwd: root, env: { ...process.env, [LLAMA_DIR_VARIABLE]: dir }, encoding: "utf8",
    });
    assert.deepEqual(JSON.parse(seen), { tag: "b1234", server: fake });
    // The install script writes where the code reads, by the same variable and default.
    const script = readFileSync(join(root, ".ci/install-llama.sh"), "utf8");
    assert.match(script, new RegExp(`DIR="\\$\\{${LLAMA_DIR_VARIABLE}:-${DEFAULT_LLAMA_DIR}\\}"`));
    assert.match(script, /cat >"\$DIR\/env\.json"/);
    // No second name for it anywhere in the code or the tests.
    const files = ["src", "test", "tools", ".ci"].flatMap((d) => readdirSync(join(root, d), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && /\.(ts|mjs|sh)$|^run$/.test(e.name)).map((e) => join(e.parentPath, e.name)));
    const others = files.flatMap((f) => [...readFileSync(f, "utf8").matchAll(/RSTITCH_LLAMA_[A-Z_]+/g)].map((m) => m[0])).filter((v) => v !== LLAMA_DIR_VARIABLE);
    assert.deepEqual(others, []);
});

test("a speculative peer is started with the draft model and draft-simple, and asked greedily by token ids", async () => {
    const server = await LlamaServer.start({ tag: "t", server: fake }, { model: "llm.gguf", draft: { model: "slm.gguf", tokens: 6 }, threads: 1, contextSize: 1024, flashAttention: false });
    try {
        const r = await server.complete([256, 258, 117], 200);
        const argv = JSON.parse(readFileSync(join(dir, "argv.json"), "utf8")) as string[];
        const flag = (f: string) => argv[argv.indexOf(f) + 1];
        assert.equal(flag("-m"), "llm.gguf");
        assert.equal(flag("-md"), "slm.gguf");
        assert.equal(flag("--spec-type"), "draft-simple");
        assert.equal(flag("--spec-draft-n-max"), "6");
        assert.equal(flag("-t"), "1");
        assert.equal(flag("-td"), "1");
        assert.equal(flag("-c"), "1024");
        assert.equal(flag("-fa"), "off", "the peer runs the same attention kernels as the project's rows");
        assert.deepEqual(JSON.parse(readFileSync(join(dir, "request.json"), "utf8")), { prompt: [256, 258, 117], n_predict: 200, temperature: 0, cache_prompt: false });
        assert.equal(r.content, "1+2=3 3\nAnswer: 3");
        assert.equal(r.tokens, 12);
        assert.equal(r.modelMs, 7.75);
        assert.deepEqual(r.draft, { proposed: 10, accepted: 8 });
        assert.ok(r.wallMs >= 0);
    } finally {
        server.stop();
    }
});

test("a plain peer has no draft flags and reports no draft figures", async () => {
    const server = await LlamaServer.start({ tag: "t", server: fake }, { model: "slm.gguf", threads: 1, contextSize: 512 });
    try {
        const r = await server.complete([1, 2], 8);
        const argv = JSON.parse(readFileSync(join(dir, "argv.json"), "utf8")) as string[];
        assert.ok(!argv.includes("-md") && !argv.includes("--spec-type"));
        assert.ok(!argv.includes("-fa"), "no flash-attention choice given: llama-server's own default");
        assert.equal(r.draft, undefined);
    } finally {
        server.stop();
    }
});
