import * as assert from "node:assert/strict";
import { fixtures } from "../support/fixtures.ts";
import { writeMalformedCorpus, type MalformedCase } from "../support/malformed-gguf.ts";
import { testCacheDir } from "../support/test-cache.ts";
import { api, extensionPath, finished, resetSettings, setSetting, solve } from "./helpers.ts";

/** A few files of the malformed-model corpus, set as model paths: what the user is told. */
describe("malformed model files", () => {
    // The repository is the extension under test; the host's working folder is the editor's.
    const f = fixtures(extensionPath());
    const corpus = writeMalformedCorpus(testCacheDir("malformed-host", extensionPath()));
    const pick = (name: string): MalformedCase => corpus.find((c) => c.name === name)!;
    afterEach(resetSettings);

    async function useCase(c: MalformedCase): Promise<void> {
        await setSetting("SLMModelPath", c.role === "slm" ? c.path : f.slm);
        await setSetting("LLMModelPath", c.role === "llm" ? c.path : f.llm);
    }

    for (const name of ["tensor-count-2^48-1", "vocab-token-type-short", "vocab-huge-token", "version-1", "directory", "qwen2-tensor-missing"]) {
        it(`${name}: the request fails with a short message naming the role and the file`, async () => {
            const c = pick(name);
            await useCase(c);
            const outcome = await solve("What is 2 + 2?");
            assert.equal(outcome.status, "failed");
            const reason = outcome.status === "failed" ? outcome.reason : "";
            assert.ok(reason.includes(c.path), reason);
            assert.ok(reason.includes(c.role === "slm" ? "small (SLM)" : "large (LLM)"), reason);
            assert.match(reason, c.says!);
            assert.ok(reason.length < 600, `${reason.length} characters`);
            assert.doesNotMatch(reason, /do not share a tokenizer|Failed to load model|EISDIR/);
            const a = await api();
            assert.equal(a.isBusy(), false);
        });
    }

    it("damage only in the weights: the models load and answer", async () => {
        await useCase(pick("weights-zeroed"));
        await setSetting("tokenBudget", 8);
        const result = finished(await solve("What is 2 + 2?"));
        assert.ok(result.turn.tokens.length > 0);
    });
});
