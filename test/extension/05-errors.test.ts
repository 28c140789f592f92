import * as assert from "node:assert/strict";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { fixtures } from "../support/fixtures.ts";
import { api, finished, resetSettings, setSetting, solve, useTestPair } from "./helpers.ts";

describe("errors with a way out", () => {
    afterEach(resetSettings);

    it("a missing model file fails the request with a message naming the file, and nothing crashes", async () => {
        const a = await api();
        const missing = join(tmpdir(), "rstitch-no-such-model.gguf");
        await setSetting("slmModelPath", missing);
        const outcome = await solve("What is 2 + 2?");
        assert.equal(outcome.status, "failed");
        assert.ok(outcome.status === "failed" && outcome.reason.includes(missing), outcome.status === "failed" ? outcome.reason : "");
        assert.equal(a.isBusy(), false);
        assert.equal(a.status().state, "idle");
    });

    it("a pair whose tokenizers differ is refused with a clear message", async () => {
        const f = fixtures();
        await setSetting("slmModelPath", f.otherTokenizer);
        await setSetting("llmModelPath", f.llm);
        const outcome = await solve("What is 2 + 2?");
        assert.equal(outcome.status, "failed");
        assert.match(outcome.status === "failed" ? outcome.reason : "", /tokenizer/i);
    });

    it("a file that is not GGUF is refused as a bad file", async () => {
        const f = fixtures();
        await setSetting("slmModelPath", __filename);
        await setSetting("llmModelPath", f.llm);
        const outcome = await solve("What is 2 + 2?");
        assert.equal(outcome.status, "failed");
        assert.match(outcome.status === "failed" ? outcome.reason : "", /not a usable GGUF/i);
    });

    it("after a failure, fixing the setting makes the next request work", async () => {
        await setSetting("slmModelPath", join(tmpdir(), "rstitch-no-such-model.gguf"));
        assert.equal((await solve("What is 2 + 2?")).status, "failed");
        await useTestPair();
        await setSetting("tokenBudget", 24);
        const result = finished(await solve("What is 2 + 2?"));
        assert.ok(result.turn.tokens.length > 0);
    });
});
