// How fast the chat view renders streamed tokens, in Debian's Chromium with the real webview bundle
// (the page of test/e2e/lib/webview-page.mjs). Two figures:
//   1. flat out: N tokens delivered in host-sized batches as fast as the page takes messages; the
//      time until the last one is painted gives the view's top rendering rate in tokens/s;
//   2. paced: tokens offered at a given rate in 30 ms batches (the host's batcher interval); the lag
//      between the last batch and its paint says whether the view keeps up.
// Needs the editor toolchain (bash .ci/install-editor.sh). Usage:
//   node tools/webview-throughput.mjs [--tokens 20000] [--rate 2000] [--batch 64]
import { parseArgs } from "node:util";
import { editorEnv } from "../packaging/editor-env.mjs";
import { launchChromium } from "../test/e2e/lib/browser.mjs";
import { openChatPage, servePage } from "../test/e2e/lib/webview-page.mjs";

const { values } = parseArgs({ options: { tokens: { type: "string", default: "20000" }, rate: { type: "string", default: "2000" }, batch: { type: "string", default: "64" } } });
const N = Number(values.tokens);
const RATE = Number(values.rate);
const BATCH = Number(values.batch);
const INTERVAL_MS = 30;

// Runs in the page: delivers tokens like the host would and waits until the last one is painted.
async function stream({ turnId, n, batch, intervalMs }) {
    const deliver = (data) => window.dispatchEvent(new MessageEvent("message", { data }));
    const turn = { id: turnId, kind: "solve", prompt: "bench", mode: "stitch", threshold: 0.05, models: "bench", tokens: [], state: "running" };
    deliver({ type: "turnStart", turn });
    const section = document.querySelector(`section[data-turn-id="${turnId}"]`);
    const painted = () => section.querySelectorAll(".trace > .tok").length;
    const pieces = ["47", " *", " 36", " =", " 40", " *", " 36", " +", " 7", " *", " 36", "\n", "Step", " 1", ":"];
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    const t0 = performance.now();
    for (let i = 0; i < n; i += batch) {
        const tokens = [];
        for (let j = i; j < Math.min(n, i + batch); j++) tokens.push([pieces[j % pieces.length], j % 7 === 0 ? "llm" : "slm", (j % 100) / 100]);
        deliver({ type: "tokens", turnId, tokens });
        await sleep(intervalMs); // 0: the next message task, as fast as messages arrive
    }
    const sent = performance.now();
    while (painted() < n) await new Promise((r) => requestAnimationFrame(r));
    const done = performance.now();
    deliver({ type: "turnDone", turnId, answer: null, stopReason: "budget", stats: { mode: "stitch", threshold: 0.05, slm: { tokens: n, prefillTokens: 0, calls: n, wallMs: 1 }, llm: { tokens: 0, prefillTokens: 0, calls: 0, wallMs: 0 }, totalTokens: n, switches: 0, discardedSlmTokens: 0, llmShare: 0, wallMs: done - t0, tokensPerSecond: 0 } });
    deliver({ type: "cleared" });
    return { totalMs: done - t0, lagMs: done - sent };
}

const env = editorEnv(["playwrightCore", "chromium"]);
const server = await servePage();
const browser = await launchChromium(env);
try {
    const view = await openChatPage(browser, server);
    await view.page.evaluate(stream, { turnId: "warm-up", n: 2000, batch: BATCH, intervalMs: 0 });
    const flat = await view.page.evaluate(stream, { turnId: "flat", n: N, batch: BATCH, intervalMs: 0 });
    const perBatch = Math.max(1, Math.round((RATE * INTERVAL_MS) / 1000));
    const paced = await view.page.evaluate(stream, { turnId: "paced", n: N, batch: perBatch, intervalMs: INTERVAL_MS });
    const offered = (N / paced.totalMs) * 1000;
    console.log(`Chromium ${browser.version()}, real webview bundle, viewport 420×720`);
    console.log(`flat out: ${N} tokens in batches of ${BATCH}: ${flat.totalMs.toFixed(0)} ms → ${((N / flat.totalMs) * 1000).toFixed(0)} tokens/s rendered`);
    console.log(`paced: ${N} tokens offered at ${RATE} tokens/s (${perBatch} every ${INTERVAL_MS} ms; ${offered.toFixed(0)} tokens/s achieved by the timer): ` +
        `last token painted ${paced.lagMs.toFixed(0)} ms after the last batch arrived`);
    if (view.pageErrors.length) console.log(`page errors: ${view.pageErrors.join("; ")}`);
} finally {
    await browser.close();
    await server.close();
}
