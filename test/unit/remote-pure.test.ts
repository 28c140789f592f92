/** The remote LLM lane's pure parts: entropy bounds from top-N + tail, the SSE splitter, URL and CLI settings. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { normalisedEntropy } from "../../src/stitch/entropy.ts";
import { SseParser } from "../../src/stitch/remote/sse.ts";
import { normaliseServerUrl } from "../../src/stitch/remote/server-client.ts";
import { entropyBounds } from "../../src/stitch/remote/top-n-entropy.ts";
import { serverSettings } from "../../src/cli/models.ts";
import { mulberry32 } from "../support/random.ts";

function softmax(logits: number[]): number[] {
    const max = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - max));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / s);
}

describe("entropy bounds from the top N probabilities and the tail mass", () => {
    test("a complete list gives the exact entropy (both bounds equal it)", () => {
        const p = softmax([3, 1, 0.5, -2, 0, 0, 1.5, 2]);
        const b = entropyBounds(p, p.length);
        const exact = normalisedEntropy(p, p.length);
        assert.ok(Math.abs(b.lower - exact) < 1e-12 && Math.abs(b.upper - exact) < 1e-12, `${b.lower} ${b.upper} vs ${exact}`);
    });

    test("on random heavy-tailed distributions the exact entropy always lies within the bounds", () => {
        const random = mulberry32(7);
        for (let trial = 0; trial < 200; trial++) {
            const V = 2000;
            const spread = 0.5 + random() * 6;
            const logits = Array.from({ length: V }, () => Math.log(random()) * spread + (random() < 0.01 ? 8 : 0));
            const p = softmax(logits).sort((a, b) => b - a);
            const exact = normalisedEntropy(p, V);
            for (const n of [1, 5, 40, 400]) {
                const b = entropyBounds(p.slice(0, n), V);
                assert.ok(b.lower <= exact + 1e-9 && exact <= b.upper + 1e-9, `trial ${trial} N=${n}: ${b.lower} ≤ ${exact} ≤ ${b.upper}`);
                assert.ok(Math.abs(b.tailMass - p.slice(n).reduce((a, c) => a + c, 0)) < 1e-9);
            }
        }
    });

    test("the bounds tighten as N grows, and a one-hot list has H = 0", () => {
        const p = softmax(Array.from({ length: 500 }, (_, i) => -i * 0.05)).sort((a, b) => b - a);
        const wide = entropyBounds(p.slice(0, 10), 500);
        const narrow = entropyBounds(p.slice(0, 200), 500);
        assert.ok(narrow.upper - narrow.lower < wide.upper - wide.lower);
        assert.deepEqual(entropyBounds([1], 151_936), { lower: 0, upper: 0, tailMass: 0 });
    });

    test("float32 rounding of a complete list is not taken for a tail", () => {
        const b = entropyBounds([0.5000001, 0.5], 2);
        assert.ok(Math.abs(b.upper - 1) < 1e-6 && b.lower === b.upper);
    });
});

describe("SSE splitter", () => {
    test("joins events split across chunks and skips comments and other fields", () => {
        const parser = new SseParser();
        const bytes = new TextEncoder().encode(': ping\n\ndata: {"a":1}\r\n\nevent: x\ndata: {"b":"ü"}\n\n');
        const out: string[] = [];
        for (let i = 0; i < bytes.length; i += 3) out.push(...parser.push(bytes.slice(i, i + 3)));
        assert.deepEqual(out, ['{"a":1}', '{"b":"ü"}']);
    });
});

describe("server settings", () => {
    test("URLs are checked and lose their trailing slash", () => {
        assert.deepEqual(normaliseServerUrl("http://127.0.0.1:8080/"), { url: "http://127.0.0.1:8080" });
        assert.deepEqual(normaliseServerUrl(" https://gpu.example/llm/ "), { url: "https://gpu.example/llm" });
        assert.match((normaliseServerUrl("gpu-box:8080") as { error: string }).error, /http:\/\/ or https:\/\//);
        assert.match((normaliseServerUrl("not a url") as { error: string }).error, /not a URL/);
    });

    test("CLI: --llm-url with the key from a named environment variable, never from the command line", () => {
        assert.equal(serverSettings({}), undefined);
        assert.deepEqual(serverSettings({ "llm-url": "http://h:1/", "api-key-env": "K", "llm-timeout": "5" }, { K: "secret" }), { url: "http://h:1", apiKey: "secret", timeoutMs: 5000, api: "auto" });
        assert.throws(() => serverSettings({ "llm-url": "http://h:1", "api-key-env": "K" }, {}), /environment variable K is not set/);
        assert.throws(() => serverSettings({ "llm-url": "http://h:1", llm: "x.gguf" }), /not both/);
        assert.throws(() => serverSettings({ "api-key-env": "K" }), /go with --llm-url/);
        assert.throws(() => serverSettings({ "llm-url": "http://h:1", "llm-timeout": "0" }), /--llm-timeout must be between/);
    });
});
