/**
 * The built CLI with its LLM on a real llama-server (the "done when" check): `solve --llm-url
 * … --llm-api openai --json` writes the all-local run's tokens on held-out prompts.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { demoModelPaths } from "../../src/stitch/index.ts";
import { runCli, type CliRun } from "../support/cli-child.ts";
import { llamaServerBinary, startLlamaServer, type RunningServer } from "../support/llama-server.ts";
import { makeTestCertificates, startTlsProxy, type TestCertificates, type TlsProxy } from "../support/tls-proxy.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const DEMO = demoModelPaths(ROOT);
const binary = llamaServerBinary();
const skip = "skip" in binary ? binary.skip : false;
const HELD_OUT = readFileSync(join(ROOT, "data", "heldout.jsonl"), "utf8").trim().split("\n").slice(30, 33).map((l) => (JSON.parse(l) as { prompt: string }).prompt);

/** The CLI without blocking this process (the test's own loopback servers keep answering). */
const rstitch = (args: string[], env: NodeJS.ProcessEnv = withoutExtraCa()) => runCli(args, { env, timeoutMs: 120_000 });

/** This process's environment without a CA the runner may trust already. */
function withoutExtraCa(): NodeJS.ProcessEnv {
    const env = { ...process.env };
    delete env.NODE_EXTRA_CA_CERTS;
    return env;
}

interface SolveJson {
    tokens: { id: number; source: string; text: string; entropy: number }[];
    text: string;
    stopReason: string;
    stats: { remote?: { requests: number } };
}

function parsed(r: CliRun): SolveJson {
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as SolveJson;
}

describe("rstitch solve --llm-url against a real llama-server", { skip }, () => {
    let server: RunningServer;
    before(async () => {
        server = await startLlamaServer((binary as { path: string }).path, DEMO.llm);
    });
    after(async () => {
        await server?.kill();
    });

    for (const [mode, threshold] of [["stitch", "0.03"], ["llm", "0"]] as const) {
        test(`--llm-api openai --json, --mode ${mode} --threshold ${threshold}: the all-local run's tokens on held-out prompts`, async (t) => {
            let llmTokens = 0;
            for (const prompt of HELD_OUT) {
                const common = ["--threads", "1", "--mode", mode, "--threshold", threshold, "--budget", "96", "--json", prompt];
                const local = parsed(await rstitch(["solve", "--slm", DEMO.slm, "--llm", DEMO.llm, ...common]));
                const remote = parsed(await rstitch(["solve", "--slm", DEMO.slm, "--llm-url", server.url, "--llm-api", "openai", ...common]));
                assert.deepEqual(remote.tokens.map((x) => [x.id, x.source, x.text]), local.tokens.map((x) => [x.id, x.source, x.text]), prompt);
                assert.equal(remote.text, local.text);
                assert.equal(remote.stopReason, local.stopReason);
                assert.ok((remote.stats.remote?.requests ?? 0) > 0, "the LLM's tokens came from the server");
                llmTokens += remote.tokens.filter((x) => x.source === "llm").length;
            }
            // The server really wrote part of each answer (else the check would prove nothing about it).
            assert.ok(llmTokens > 0);
            t.diagnostic(`${llmTokens} LLM tokens from the server over ${HELD_OUT.length} prompts`);
        });
    }
});

describe("rstitch solve --llm-url https:// with a private CA", { skip }, () => {
    let server: RunningServer;
    let dir: string;
    let certs: TestCertificates;
    let proxy: TlsProxy;
    before(async () => {
        server = await startLlamaServer((binary as { path: string }).path, DEMO.llm);
        dir = mkdtempSync(join(tmpdir(), "rstitch-tls-"));
        certs = makeTestCertificates(dir);
        proxy = await startTlsProxy(server.url, certs);
    });
    after(async () => {
        await proxy?.close();
        await server?.kill();
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test("trusted through NODE_EXTRA_CA_CERTS: both APIs over https give the all-local tokens", async () => {
        const common = ["--threads", "1", "--mode", "stitch", "--threshold", "0.03", "--budget", "64", "--json", HELD_OUT[0]];
        const local = parsed(await rstitch(["solve", "--slm", DEMO.slm, "--llm", DEMO.llm, ...common]));
        for (const api of ["openai", "llama"]) {
            const remote = parsed(await rstitch(["solve", "--slm", DEMO.slm, "--llm-url", proxy.url, "--llm-api", api, ...common], { ...withoutExtraCa(), NODE_EXTRA_CA_CERTS: certs.caFile }));
            assert.deepEqual(remote.tokens.map((x) => [x.id, x.source]), local.tokens.map((x) => [x.id, x.source]), api);
            assert.ok((remote.stats.remote?.requests ?? 0) > 0, api);
        }
    });

    test("without the CA the same server is refused with a message that names the certificate problem and the way out, no stack trace", async (t) => {
        const r = await rstitch(["solve", "--slm", DEMO.slm, "--llm-url", proxy.url, "--llm-api", "openai", "--threads", "1", "--budget", "8", "--json", HELD_OUT[0]]);
        assert.notEqual(r.code, 0);
        assert.equal(r.stdout, "");
        assert.match(r.stderr, /presented a TLS certificate this machine does not trust: (self-signed certificate in certificate chain|unable to verify the first certificate) \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\)/);
        assert.match(r.stderr, /NODE_EXTRA_CA_CERTS=\/path\/to\/ca\.pem/);
        assert.doesNotMatch(r.stderr, /^\s+at /m);
        t.diagnostic(r.stderr.trim());
    });
});
