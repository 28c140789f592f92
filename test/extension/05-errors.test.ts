import * as assert from "node:assert/strict";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { fixtures } from "../support/fixtures.ts";
import { api, extensionPath, finished, resetSettings, setSetting, solve, useTestPair } from "./helpers.ts";

describe("errors with a way out", () => {
    afterEach(resetSettings);

    it("a missing model file fails the request with a message naming the file, and nothing crashes", async () => {
        const a = await api();
        const missing = join(tmpdir(), "rstitch-no-such-model.gguf");
        await setSetting("SLMModelPath", missing);
        const outcome = await solve("What is 2 + 2?");
        assert.equal(outcome.status, "failed");
        assert.ok(outcome.status === "failed" && outcome.reason.includes(missing), outcome.status === "failed" ? outcome.reason : "");
        assert.equal(a.isBusy(), false);
        assert.equal(a.status().state, "idle");
    });

    it("the question is in the conversation before the models load, and a load failure ends that turn with the reason", async () => {
        const a = await api();
        const missing = join(tmpdir(), "rstitch-no-such-model.gguf");
        await setSetting("SLMModelPath", missing);
        const outcome = await solve("What is 3 + 3?");
        assert.equal(outcome.status, "failed");
        const turn = a.conversation().at(-1);
        assert.equal(turn?.prompt, "What is 3 + 3?");
        assert.equal(turn?.state, "error");
        assert.ok(turn?.error?.includes(missing), turn?.error);
    });

    it("the status names a missing model file instead of Ready, until the setting points at a file that exists", async () => {
        const a = await api();
        await setSetting("SLMModelPath", join(tmpdir(), "rstitch-no-such-model.gguf"));
        assert.equal(a.status().problem, "SLM file missing");
        await setSetting("LLMModelPath", join(tmpdir(), "rstitch-no-such-llm.gguf"));
        await setSetting("SLMModelPath", "");
        assert.equal(a.status().problem, "LLM file missing");
        await useTestPair();
        assert.equal(a.status().problem, undefined);
    });

    it("a pair whose tokenizers differ is refused with a clear message", async () => {
        const f = fixtures(extensionPath());
        await setSetting("SLMModelPath", f.otherTokenizer);
        await setSetting("LLMModelPath", f.llm);
        const outcome = await solve("What is 2 + 2?");
        assert.equal(outcome.status, "failed");
        assert.match(outcome.status === "failed" ? outcome.reason : "", /tokenizer/i);
    });

    it("a file that is not GGUF is refused as a bad file", async () => {
        const f = fixtures(extensionPath());
        await setSetting("SLMModelPath", __filename);
        await setSetting("LLMModelPath", f.llm);
        const outcome = await solve("What is 2 + 2?");
        assert.equal(outcome.status, "failed");
        assert.match(outcome.status === "failed" ? outcome.reason : "", /not a usable GGUF/i);
        // The file exists, so only the failed load tells: the status says so until the pair changes.
        const a = await api();
        assert.equal(a.status().problem, "model file unusable");
        await setSetting("SLMModelPath", "");
        assert.equal(a.status().problem, undefined);
    });

    it("after a failure, fixing the setting makes the next request work", async () => {
        await setSetting("SLMModelPath", join(tmpdir(), "rstitch-no-such-model.gguf"));
        assert.equal((await solve("What is 2 + 2?")).status, "failed");
        await useTestPair();
        await setSetting("tokenBudget", 24);
        const result = finished(await solve("What is 2 + 2?"));
        assert.ok(result.turn.tokens.length > 0);
    });
});
