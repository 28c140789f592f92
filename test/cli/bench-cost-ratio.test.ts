/**
 * `rstitch bench --llm-layers N` through the built CLI: every row runs with the demo LLM's zero-layer
 * variant, writes what the same rows write with the demo LLM itself, and bench.json says which file
 * ran. Bad combinations are refused before anything loads. Speed is not asserted (tools/cost-ratio.ts
 * and the README's runs measure it).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { validateGguf } from "../../src/gguf/validate.ts";
import { testCacheDir } from "../support/test-cache.ts";

interface Report {
    llmVariant: { path: string; source: string; sourceLayers: number; layers: number } | null;
    configs: { config: { id: string }; answers: (string | null)[]; tokens: number[]; llmShare: number }[];
}

// Variants go to $XDG_CACHE_HOME/rstitch/cost-variants: the repository's ignored test cache here.
const env = { ...process.env, XDG_CACHE_HOME: testCacheDir("bench-cost-ratio") };
const bench = (args: string[], timeout = 120_000) => spawnSync(process.execPath, ["dist/cli.js", "bench", ...args], { encoding: "utf8", timeout, env });

test("bench --llm-layers 16: the same answers and tokens in every row, with the variant named in bench.json", (t) => {
    const dir = mkdtempSync(join(tmpdir(), "rstitch-bench-cost-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "problems.jsonl");
    writeFileSync(file, readFileSync("data/test.jsonl", "utf8").trim().split("\n").slice(0, 2).join("\n") + "\n");
    const common = ["--file", file, "--thresholds", "0.02", "--drafts", "3", "--budget", "200", "--threads", "1", "--peers", "none"];
    const reports: Report[] = [];
    for (const [name, extra] of [["plain", []], ["variant", ["--llm-layers", "16"]]] as const) {
        const out = join(dir, name);
        const r = bench([...common, ...extra, "--out", out]);
        assert.equal(r.status, 0, r.stderr + r.stdout);
        reports.push(JSON.parse(readFileSync(join(out, "bench.json"), "utf8")) as Report);
    }
    const [plain, slow] = reports;
    assert.equal(plain.llmVariant, null);
    const v = slow.llmVariant!;
    assert.deepEqual([v.sourceLayers, v.layers], [8, 16]);
    assert.ok(existsSync(v.path) && v.path.startsWith(env.XDG_CACHE_HOME), v.path);
    assert.equal(validateGguf(v.path).metadata.get("llama.block_count"), 16);
    assert.deepEqual(slow.configs.map((c) => c.config.id), plain.configs.map((c) => c.config.id));
    for (const c of slow.configs) {
        const p = plain.configs.find((x) => x.config.id === c.config.id)!;
        assert.deepEqual(c.answers, p.answers, c.config.id);
        assert.deepEqual(c.tokens, p.tokens, c.config.id);
        assert.equal(c.llmShare, p.llmShare, c.config.id);
    }
});

test("bench refuses --llm-cost-ratio with --llm-layers, fewer layers than the LLM has, and a ratio out of range", () => {
    for (const [args, message] of [
        [["--llm-cost-ratio", "10", "--llm-layers", "16"], /--llm-cost-ratio or --llm-layers, not both/],
        [["--llm-layers", "4"], /already has 8 layers/],
        [["--llm-cost-ratio", "0.5"], /--llm-cost-ratio must be between 1 and 1000/],
        [["--llm-layers", "16", "--llm-url", "http://127.0.0.1:9"], /do not go with --llm-url/],
    ] as const) {
        const r = bench(["--problems", "1", "--peers", "none", ...args], 30_000);
        assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
        assert.match(r.stderr, message);
        assert.doesNotMatch(r.stderr, /\n\s+at /, "a usage message, no stack trace");
    }
});
