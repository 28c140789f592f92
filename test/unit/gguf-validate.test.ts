import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { quoteShort } from "../../src/gguf/quote.ts";
import { GgufDamage, validateGguf } from "../../src/gguf/validate.ts";
import { fixtures } from "../support/fixtures.ts";
import { readFileSync } from "node:fs";

test("a valid fixture passes with its architecture, tensors and vocabulary", () => {
    const r = validateGguf(fixtures().slm);
    assert.equal(r.version, 3);
    assert.equal(r.architecture, "llama");
    assert.equal(r.tensors.length, 12);
    assert.equal(r.tensors.find((t) => t.name === "token_embd.weight")!.dims.join("x"), "32x260");
    assert.equal((r.metadata.get("tokenizer.ggml.tokens") as { length: number }).length, 260);
});

test("a tensor count of 2^48-1 is refused from the header alone", (t) => {
    const b = readFileSync(fixtures().slm);
    b.writeBigUInt64LE(2n ** 48n - 1n, 8);
    const dir = mkdtempSync(join(tmpdir(), "rstitch-validate-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, "count.gguf");
    writeFileSync(path, b);
    assert.throws(() => validateGguf(path), (e: unknown) => e instanceof GgufDamage && /tensor count at byte 8 is 281474976710655/.test(e.message));
});

test("quoted file text is short and has its control and direction characters escaped", () => {
    assert.equal(quoteShort("a\u202eb\n\"c\\"), '"a\\u202eb\\u000a\\"c\\\\"');
    const long = quoteShort("x".repeat(95_000_000 / 1000));
    assert.ok(long.length < 60, long);
    assert.match(long, /^"x{32}…" \(95000 characters\)$/);
});

test("a refused load quotes llama.cpp's last error lines, short and escaped, else node-llama-cpp's error", async () => {
    const { loadFailureReason } = await import("../../src/stitch/model-file.ts");
    const lines = ["llama_model_loader: loaded meta data", "llama_model_load: error loading model: unknown model architecture: 'x\u202e'", "llama_model_load_from_file_impl: failed to load model"];
    assert.equal(loadFailureReason(lines, "Failed to load model"), "error loading model: unknown model architecture: 'x\\u202e'; failed to load model");
    assert.equal(loadFailureReason([], "Failed to load model"), "Failed to load model");
    // node-llama-cpp's note about its memory estimate comes after llama.cpp's reason and must not hide it.
    const withNote = ["llama_model_load: error loading model: missing tensor 'blk.0.attn_k.weight'", "llama_model_load_from_file_impl: failed to load model",
        "Failed simulating model resource usage. Falling back to estimation heuristic. Error: Failed to load model"];
    assert.equal(loadFailureReason(withNote, "Failed to load model"), "error loading model: missing tensor 'blk.0.attn_k.weight'; failed to load model");
    assert.ok(loadFailureReason(["error: " + "y".repeat(10_000)], "").length < 200);
});
