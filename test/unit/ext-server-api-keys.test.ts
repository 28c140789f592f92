/** One API key per LLM server URL: the secret's name, and the one-time move of a key stored the old global way. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { apiKeySecretName, LEGACY_API_KEY_SECRET, legacyKeyMove, migrateLegacyApiKey, readApiKey } from "../../src/extension/server-api-keys.ts";

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

/** SecretStorage in memory. */
class MapSecrets {
    data = new Map<string, string>();
    async get(name: string) {
        return this.data.get(name);
    }
    async store(name: string, value: string) {
        this.data.set(name, value);
    }
    async delete(name: string) {
        this.data.delete(name);
    }
}

test("the stored global key ends up under the configured server only, once; another server gets no key", async () => {
    const secrets = new MapSecrets();
    secrets.data.set(LEGACY_API_KEY_SECRET, "team-key");
    assert.equal(await migrateLegacyApiKey(secrets, ""), undefined, "no server configured: nothing moves");
    assert.equal(secrets.data.get(LEGACY_API_KEY_SECRET), "team-key");
    assert.equal(await migrateLegacyApiKey(secrets, "http://GPU-box:8080/"), "http://gpu-box:8080");
    assert.deepEqual([...secrets.data.keys()], [name("http://gpu-box:8080")]);
    assert.equal(await readApiKey(secrets, "http://gpu-box:8080"), "team-key");
    assert.equal(await readApiKey(secrets, "http://elsewhere:8080"), undefined);
    assert.equal(await migrateLegacyApiKey(secrets, "http://elsewhere:8080"), undefined, "already moved");
    assert.equal(await readApiKey(secrets, "http://elsewhere:8080"), undefined);
});

test("a server's own key is kept over a global one, which is dropped", async () => {
    const secrets = new MapSecrets();
    secrets.data.set(LEGACY_API_KEY_SECRET, "old");
    secrets.data.set(name("http://gpu-box:8080"), "new");
    assert.equal(await migrateLegacyApiKey(secrets, "http://gpu-box:8080"), undefined);
    assert.deepEqual([...secrets.data.entries()], [[name("http://gpu-box:8080"), "new"]]);
});
