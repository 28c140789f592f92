// How fast the chat view renders streamed tokens, in Debian's Chromium with the real webview bundle
// (the page of test/e2e/lib/webview-page.mjs). Two figures:
//   1. flat out: N tokens delivered in host-sized batches as fast as the page takes messages; the
//      time until the last one is painted gives the view's top rendering rate in tokens/s;
//   2. paced: tokens offered at a given rate in 30 ms batches (the host's batcher interval); the
//      largest backlog (tokens received, not yet painted) and the lag after the last batch say whether
//      the view keeps up.
// The view renders markdown by default (webview/markdown/); --raw measures the "Show tokens" stream,
// --text plain picks the demo pair's plain arithmetic instead of a markdown answer (paragraphs, lists,
// inline code, a fenced code block, a table and math, inside <think>…</think> and after it).
// Needs the editor toolchain (bash .ci/install-editor.sh). Usage:
//   node tools/webview-throughput.mjs [--tokens 10000] [--rate 2000] [--batch 64] [--raw] [--text markdown|plain]
import { parseArgs } from "node:util";
import { editorEnv } from "../packaging/editor-env.mjs";
import { launchChromium } from "../test/e2e/lib/browser.mjs";
import { openChatPage, servePage } from "../test/e2e/lib/webview-page.mjs";

const { values } = parseArgs({ options: { tokens: { type: "string", default: "10000" }, rate: { type: "string", default: "2000" }, batch: { type: "string", default: "64" }, raw: { type: "boolean", default: false },
    text: { type: "string", default: "markdown" } } });
const N = Number(values.tokens);
const RATE = Number(values.rate);
const BATCH = Number(values.batch);
const INTERVAL_MS = 30;

// Runs in the page: delivers tokens as the host would (flat out: batch after batch, yielding to the
// page between them; paced: every 30 ms, all tokens due by then at `rate`, so timer drift on a busy
// machine changes the batch sizes, not the rate), then waits until the last one is painted.
async function stream({ turnId, n, batch, rate, intervalMs, text }) {
    const deliver = (data) => window.dispatchEvent(new MessageEvent("message", { data }));
    const turn = { id: turnId, kind: "solve", prompt: "bench", mode: "stitch", threshold: 0.05, models: "bench", tokens: [], state: "running" };
    deliver({ type: "turnStart", turn });
    // The summary counts the tokens painted ("Thinking · N tokens"): cheaper than counting spans.
    const summary = document.querySelector(`section[data-turn-id="${turnId}"] summary`);
    const painted = () => Number(/\d+/.exec(summary.textContent)?.[0] ?? 0);
    const plain = ["47", " *", " 36", " =", " 40", " *", " 36", " +", " 7", " *", " 36", "\n", "Step", " 1", ":"];
    // A markdown answer cut into 3-character tokens (about what a BPE tokenizer gives), repeated.
    const md = "## Step\n\nWe use **distributivity** and `mul()`: $47 \\cdot 36 = 40 \\cdot 36 + 7 \\cdot 36$.\n\n- first *term*: 1440\n- second: 252\n\n" +
        "```python\ndef mul(a, b):\n    return a * b  # 1692\n```\n\n| a | b | a·b |\n|---|---|---|\n| 47 | 36 | 1692 |\n\n$$\\boxed{1692}$$\n\n";
    const pieces = text === "plain" ? plain : ["<think>", ...md.match(/[\s\S]{1,3}/g)];
    const at = (j) => (text === "plain" || j === 0 ? pieces[j % pieces.length] : pieces[1 + ((j - 1) % (pieces.length - 1))]);
    const channel = new MessageChannel();
    const yieldToPage = () => new Promise((r) => { channel.port1.onmessage = () => r(); channel.port2.postMessage(0); });
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    let sent = 0;
    let maxBacklog = 0;
    const t0 = performance.now();
    while (sent < n) {
        const due = rate ? Math.min(n, Math.floor(((performance.now() - t0) * rate) / 1000)) : Math.min(n, sent + batch);
        if (due > sent) {
            const tokens = [];
            for (let j = sent; j < due; j++) tokens.push([at(j), j % 7 === 0 ? "llm" : "slm", (j % 100) / 100]);
            deliver({ type: "tokens", turnId, tokens });
            sent = due;
        }
        await (rate ? sleep(intervalMs) : yieldToPage());
        maxBacklog = Math.max(maxBacklog, sent - painted());
    }
    const tSent = performance.now();
    while (painted() < n) await new Promise((r) => requestAnimationFrame(r));
    const done = performance.now();
    deliver({ type: "turnDone", turnId, answer: null, stopReason: "budget", stats: { mode: "stitch", threshold: 0.05, slm: { tokens: n, prefillTokens: 0, calls: n, wallMs: 1 }, llm: { tokens: 0, prefillTokens: 0, calls: 0, wallMs: 0 }, totalTokens: n, switches: 0, discardedSlmTokens: 0, llmShare: 0, wallMs: done - t0, tokensPerSecond: 0 } });
    deliver({ type: "cleared" });
    return { totalMs: done - t0, sendMs: tSent - t0, lagMs: done - tSent, maxBacklog };
}

const env = editorEnv(["playwrightCore", "chromium"]);
const server = await servePage();
const browser = await launchChromium(env);
try {
    const view = await openChatPage(browser, server);
    if (values.raw) await view.page.locator("#show-tokens").check();
    const text = values.text;
    await view.page.evaluate(stream, { turnId: "warm-up", n: 2000, batch: BATCH, rate: 0, text });
    const flat = await view.page.evaluate(stream, { turnId: "flat", n: N, batch: BATCH, rate: 0, text });
    const paced = await view.page.evaluate(stream, { turnId: "paced", n: N, rate: RATE, intervalMs: INTERVAL_MS, text });
    console.log(`Chromium ${browser.version()}, real webview bundle, viewport 420×720, ${N} tokens per run, ` +
        `${values.raw ? "raw tokens (Show tokens)" : "rendered markdown"}, ${text} text`);
    console.log(`flat out (batches of ${BATCH}): ${flat.totalMs.toFixed(0)} ms from the first batch to the last token painted → ${((N / flat.totalMs) * 1000).toFixed(0)} tokens/s rendered`);
    console.log(`paced at ${RATE} tokens/s (a batch every ${INTERVAL_MS} ms): offered over ${(paced.sendMs / 1000).toFixed(1)} s; ` +
        `largest backlog ${paced.maxBacklog} tokens; last token painted ${paced.lagMs.toFixed(0)} ms after the last batch`);
    if (view.pageErrors.length) console.log(`page errors: ${view.pageErrors.join("; ")}`);
} finally {
    await browser.close();
    await server.close();
}
