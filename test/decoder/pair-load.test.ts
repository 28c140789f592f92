/** Loading a pair: the errors a user meets, each with a code and a message that says what to do. */
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadPair, PairLoadError } from "../../src/stitch/index.ts";
import { fixtures } from "../support/fixtures.ts";

const f = fixtures();

async function loadError(slmPath: string, llmPath: string): Promise<PairLoadError> {
    try {
        const pair = await loadPair({ slmPath, llmPath, threads: 1 });
        await pair.dispose();
    } catch (e) {
        assert.ok(e instanceof PairLoadError, `a PairLoadError, got ${e}`);
        return e;
    }
    assert.fail("the pair loaded");
}

test("a missing file names the file", async () => {
    const e = await loadError(f.slm, "/no/such/model.gguf");
    assert.equal(e.code, "missing-file");
    assert.equal(e.path, "/no/such/model.gguf");
    assert.match(e.message, /large \(LLM\) model file was not found/);
});

test("a file that is not GGUF is refused before llama.cpp sees it", async (t) => {
    const junk = join(tmpdir(), "rstitch-not-a-model.gguf");
    t.after(() => rmSync(junk, { force: true }));
    writeFileSync(junk, "this is not a model\n");
    const e = await loadError(junk, f.llm);
    assert.equal(e.code, "bad-file");
    assert.match(e.message, /small \(SLM\) model file .*rstitch-not-a-model\.gguf is not a usable GGUF file: it does not start with "GGUF" but with "this"/);
});

test("tokenizers that differ are refused with the first difference", async () => {
    const e = await loadError(f.otherTokenizer, f.llm);
    assert.equal(e.code, "tokenizer-mismatch");
    assert.match(e.message, /token 256 differs: SLM "<s>", LLM "<\|bos\|>"/);
    const size = await loadError(f.slm, f.largeVocabLlm);
    assert.match(size.message, /vocabulary size differs: SLM 260 tokens, LLM 151936 tokens/);
});

test("a good pair loads, describes itself and disposes", async () => {
    const pair = await loadPair({ slmPath: f.slm, llmPath: f.llm, threads: 1 });
    const d = pair.describe();
    assert.equal(d.slm.name, "fixture-slm");
    assert.equal(d.llm.name, "fixture-llm");
    assert.equal(d.llm.vocabularySize, 260);
    await pair.dispose();
    const after = [];
    for await (const e of pair.solve({ prompt: "hi" })) after.push(e);
    assert.deepEqual(after.map((e) => e.type), ["error"]);
});
