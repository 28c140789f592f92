/** One API key per LLM server URL: the secret's name, and the one-time move of a key stored the old global way. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { apiKeySecretName, LEGACY_API_KEY_SECRET, legacyKeyMove } from "../../src/extension/api-key-names.ts";

function name(url: string): string {
    const r = apiKeySecretName(url);
    assert.ok("name" in r, `${url}: ${"error" in r ? r.error : ""}`);
    return r.name;
}

test("the same server, however written, has one secret; another scheme, host, port or path has another", () => {
    assert.equal(name("HTTP://GPU-Box:8080/"), name("http://gpu-box:8080"));
    assert.equal(name(" http://gpu-box:80 "), name("http://gpu-box"));
    const others = ["https://gpu-box:8080", "http://gpu-box:8081", "http://other:8080", "http://gpu-box:8080/team"].map(name);
    assert.equal(new Set([name("http://gpu-box:8080"), ...others]).size, 5);
    assert.notEqual(name("http://gpu-box:8080"), LEGACY_API_KEY_SECRET);
});

test("a URL that is not a server's is refused with the reason", () => {
    for (const [bad, why] of [["gpu-box:8080", /http:\/\/ or https:\/\//], ["not a url", /is not a URL/], ["http://box:8080/?key=1", /query or fragment/]] as const) {
        const r = apiKeySecretName(bad);
        assert.ok("error" in r && why.test(r.error), bad);
    }
});

test("a global key moves to the configured server once, is dropped where that server has its own, and waits while no server is configured", () => {
    assert.deepEqual(legacyKeyMove("k", "http://gpu-box:8080/", false), { action: "move", to: name("http://gpu-box:8080") });
    assert.deepEqual(legacyKeyMove("k", "http://gpu-box:8080", true), { action: "drop" });
    assert.deepEqual(legacyKeyMove(undefined, "http://gpu-box:8080", false), { action: "none" });
    assert.deepEqual(legacyKeyMove("k", "", false), { action: "none" });
    assert.deepEqual(legacyKeyMove("k", "gpu-box:8080", false), { action: "none" });
});
