// Phase W: the chat view's page alone (real bundle, real CSP) in Debian's Chromium, fed hostile model
// output and malformed host messages. Fails if any payload ran code, fetched anything, became an
// element or broke the layout, if a bad message threw or stuck the view, or if Stop, the folding
// thinking block or the Send button misbehave. No code-server needed: it runs in seconds.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { editorEnv } from "../../packaging/editor-env.mjs";
import { launchChromium } from "./lib/browser.mjs";
import { assert, Checks } from "./lib/checks.mjs";
import { repoRoot } from "./lib/scratch.mjs";
import { openChatPage, servePage } from "./lib/webview-page.mjs";
import { extraPayloads, hostilePayloads, malformedMessages, markdownPayloads } from "./hostile-outputs.mjs";
import { timelineChecks } from "./timeline-checks.mjs";
import { turnLayoutChecks } from "./turn-layout-checks.mjs";
import { webviewA11yChecks } from "./webview-a11y.mjs";

const SCREENSHOTS = join(repoRoot, "test/e2e/screenshots");
const status = (models = "demo-slm + demo-llm", state = "idle") => ({ state, models });
const stats = (n) => ({
    mode: "stitch", threshold: 0.05,
    slm: { tokens: n, prefillTokens: 10, calls: n, wallMs: 5 }, llm: { tokens: n, prefillTokens: 10, calls: n, wallMs: 9 },
    totalTokens: 2 * n, switches: 1, discardedSlmTokens: 0, llmShare: 0.5, wallMs: 20, tokensPerSecond: 100 * n,
});
const turn = (id, prompt, label) => ({
    id, kind: "solve", prompt, label, mode: "stitch", threshold: 0.05, models: "demo-slm + demo-llm", tokens: [], state: "running",
});

/** The same conversation for the hostile page and its benign twin: each payload everywhere host text goes. */
async function renderConversation(view, payloads) {
    await view.post({ type: "init", turns: [], status: status() });
    for (const [i, text] of payloads.entries()) {
        const half = Math.floor(text.length / 2);
        await view.post({ type: "turnStart", turn: turn(`t${i}`, text, text) });
        await view.post({ type: "status", status: status(text, "running") });
        await view.post({ type: "tokens", turnId: `t${i}`, tokens: [[text.slice(0, half), "slm", 0.1], [text.slice(half), "llm", 0.9], [text, "slm", 0.2]] });
        if (i % 2 === 0) await view.post({ type: "turnDone", turnId: `t${i}`, answer: text, stopReason: "eog", stats: stats(2) });
        else await view.post({ type: "turnError", turnId: `t${i}`, message: text });
    }
    for (const [i, text] of payloads.entries()) await view.post({ type: "notice", level: ["info", "warning", "error"][i % 3], message: text });
    await view.post({ type: "status", status: status() });
    await view.frames();
}

/** The renderer's own elements for markdown (webview/markdown/dom.ts) and KaTeX's MathML. */
const MARKDOWN_ELEMENTS = ["h2", "h3", "h4", "h5", "h6", "strong", "del", "code", "pre", "ul", "ol", "li", "blockquote", "hr", "br", "a",
    "table", "thead", "tbody", "tr", "th", "td",
    "math", "semantics", "annotation", "mrow", "mi", "mo", "mn", "ms", "mtext", "mspace", "msup", "msub", "msubsup", "mfrac", "msqrt", "mroot",
    "mover", "munder", "munderover", "mstyle", "mpadded", "mphantom", "menclose", "mtable", "mtr", "mtd", "mlabeledtr", "merror"];

/** What the page holds: elements, anything that came from payload text, the layout. */
function inspect(page, extraAllowed = []) {
    return page.evaluate((extraAllowed) => {
        const all = [...document.querySelectorAll("*")];
        const allowed = new Set(["html", "head", "meta", "link", "title", "body", "header", "span", "div", "main", "p", "em", "footer",
            "textarea", "button", "vscode-button", "vscode-progress-ring", "svg", "path", "g", "rect", "line", "text", "section", "details", "summary", "script", "style",
            "label", "input", ...extraAllowed]);
        const suspicious = /pwned|beacon|javascript:|onerror|onload|onclick/i;
        const badAttrs = [];
        for (const e of all) for (const a of e.attributes) if (suspicious.test(a.name) || suspicious.test(a.value)) badAttrs.push(`${e.tagName} ${a.name}=${a.value.slice(0, 40)}`);
        const prompt = document.getElementById("prompt").getBoundingClientRect();
        const send = document.getElementById("send").getBoundingClientRect();
        const atPrompt = document.elementFromPoint(prompt.left + prompt.width / 2, prompt.top + prompt.height / 2);
        return {
            elements: all.length,
            // The view's one heading is its own h1 (for screen readers); any other is foreign.
            foreign: all.filter((e) => !allowed.has(e.localName) && !(e.localName === "h1" && e.parentElement?.matches("body > header.bar"))).map((e) => e.localName),
            tokenChildren: [...document.querySelectorAll(".tok")].filter((e) => e.childElementCount > 0 || e.childNodes.length > 1).length,
            traceChildren: [...document.querySelectorAll(".trace-chunk > *, .answer-stream > *")].filter((e) => !e.matches("span.tok")).length
                + [...document.querySelectorAll(".trace > *")].filter((e) => !e.matches("div.trace-chunk")).length,
            scripts: document.scripts.length,
            styles: document.querySelectorAll("style, link").length,
            badAttrs,
            pwned: window.__pwned,
            violations: window.__violations,
            scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
            width: window.innerWidth,
            height: window.innerHeight,
            prompt: { top: prompt.top, bottom: prompt.bottom, left: prompt.left, right: prompt.right },
            sendVisible: send.bottom <= window.innerHeight && send.top >= 0 && send.height > 0,
            promptOnTop: atPrompt?.id === "prompt",
            traceTexts: [...document.querySelectorAll("section.turn")].map((s) => s.querySelector(".trace").textContent),
            // The toolkit sets its design tokens on body's style; nothing else may carry one.
            hrefs: document.querySelectorAll("[href]:not(link), [src]:not(script), [srcset], [style]:not(body)").length,
            inputs: document.querySelectorAll("input:not(#show-tokens), label:not(.show-tokens)").length,
        };
    }, extraAllowed);
}

/** Ticks (or unticks) "Show tokens" on a page and waits for the repaint. */
async function showTokens(view, on) {
    const box = view.page.locator("#show-tokens");
    if ((await box.isChecked()) !== on) await box.click();
    await view.frames();
}

function layoutProblems(s) {
    const problems = [];
    if (s.scrollWidth > s.width) problems.push(`page ${s.scrollWidth} px wide in a ${s.width} px view`);
    if (s.prompt.top < 0 || s.prompt.bottom > s.height || s.prompt.right > s.width) problems.push(`input box at ${JSON.stringify(s.prompt)} in a ${s.width}×${s.height} view`);
    if (!s.promptOnTop) problems.push("something covers the input box");
    if (!s.sendVisible) problems.push("Send is off-screen");
    return problems;
}

export async function phaseWebview() {
    const checks = new Checks("W");
    console.log("Phase W — the chat view's page alone in Chromium: hostile output, malformed messages, Stop, folding");
    const env = editorEnv(["playwrightCore", "chromium"]);
    const server = await servePage();
    const browser = await launchChromium(env);
    let view;
    checks.onFail = async (name) => {
        mkdirSync(SCREENSHOTS, { recursive: true });
        await view?.page.screenshot({ path: join(SCREENSHOTS, `W-${name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}.png`) });
    };
    try {
        const payloads = [...hostilePayloads(server.origin), ...markdownPayloads(server.origin), ...extraPayloads()];
        view = await openChatPage(browser, server);
        const twin = await openChatPage(browser, server);

        await checks.check("the page loads under its CSP and asks for the conversation", async () => {
            const s = await inspect(view.page);
            assert(view.pageErrors.length === 0, `page errors: ${view.pageErrors.join("; ")}`);
            assert(s.violations.length === 0, `CSP violations on a plain load: ${s.violations.join("; ")}`);
            assert(server.strayRequests().length === 0, `requests: ${server.strayRequests().join(", ")}`);
            return `${s.elements} elements`;
        });

        await checks.check(`${payloads.length} hostile outputs as raw tokens ("Show tokens") of both models, questions, answers, errors, notices and model names`, async () => {
            await showTokens(view, true);
            await showTokens(twin, true);
            await renderConversation(view, payloads.map(([, p]) => p));
            // The benign twin: the same messages with each payload replaced by as many plain letters.
            await renderConversation(twin, payloads.map(([, p]) => "x".repeat(p.length)));
            const [s, b] = [await inspect(view.page), await inspect(twin.page)];
            assert(s.pwned === undefined, `a payload ran: window.__pwned = ${JSON.stringify(s.pwned)}`);
            assert(s.violations.length === 0, `a payload tried to load or run something (CSP): ${s.violations.slice(0, 5).join("; ")}`);
            assert(server.strayRequests().length === 0, `a payload fetched: ${server.strayRequests().join(", ")}`);
            assert(s.elements === b.elements, `${s.elements} elements with the payloads, ${b.elements} with plain text: payload text became elements`);
            assert(s.foreign.length === 0, `unexpected elements: ${[...new Set(s.foreign)].join(", ")}`);
            assert(s.tokenChildren === 0 && s.traceChildren === 0, `${s.tokenChildren} token spans with children, ${s.traceChildren} non-token elements in traces`);
            assert(s.scripts === b.scripts && s.styles === b.styles, `scripts ${s.scripts} vs ${b.scripts}, styles ${s.styles} vs ${b.styles}`);
            assert(s.badAttrs.length === 0, `attributes from payloads: ${s.badAttrs.slice(0, 5).join("; ")}`);
            // Rendered as text, exactly: every code unit (lone surrogates, NULs) is in the trace.
            const wrong = payloads.filter(([, p], i) => s.traceTexts[i] !== p + p).map(([name]) => name);
            assert(wrong.length === 0, `trace text differs from the tokens for: ${wrong.join(", ")}`);
            assert(view.pageErrors.length === 0, `page errors: ${view.pageErrors.join("; ")}`);
            return `${s.elements} elements, as many as with plain text; nothing ran, fetched or was blocked`;
        });

        await checks.check(`the same ${payloads.length} outputs rendered as markdown and math: only the renderer's own elements, nothing runs, fetches or navigates, the layout holds`, async () => {
            const before = await inspect(twin.page);
            await showTokens(view, false);
            await showTokens(twin, false);
            // The page must not have moved (a link followed, a base changed).
            const [s, b] = [await inspect(view.page, MARKDOWN_ELEMENTS), await inspect(twin.page, MARKDOWN_ELEMENTS)];
            const url = await view.page.evaluate(() => location.pathname);
            assert(s.pwned === undefined, `a payload ran: window.__pwned = ${JSON.stringify(s.pwned)}`);
            assert(s.violations.length === 0, `a payload tried to load or run something (CSP): ${s.violations.slice(0, 5).join("; ")}`);
            assert(server.strayRequests().length === 0, `a payload fetched: ${server.strayRequests().join(", ")}`);
            assert(url === "/", `the page navigated to ${url}`);
            assert(s.foreign.length === 0, `elements outside the renderer's set: ${[...new Set(s.foreign)].join(", ")}`);
            assert(s.hrefs === 0 && s.inputs === 0, `${s.hrefs} elements with href/src/style attributes, ${s.inputs} inputs from payloads`);
            assert(s.tokenChildren === 0, `${s.tokenChildren} token spans with children`);
            assert(s.scripts === b.scripts && s.styles === b.styles, `scripts ${s.scripts} vs ${b.scripts}, styles ${s.styles} vs ${b.styles}`);
            assert(s.badAttrs.length === 0, `attributes from payloads: ${s.badAttrs.slice(0, 5).join("; ")}`);
            assert(b.elements > before.elements - 10, "the plain twin lost its turns");
            const posted = await view.page.evaluate(() => window.__posted.filter((m) => m.type === "openLink"));
            assert(posted.length === 0, `a link was opened without a click: ${JSON.stringify(posted)}`);
            await view.page.evaluate(() => document.getElementById("conversation").scrollTo(0, 1e9));
            const problems = layoutProblems(await inspect(view.page, MARKDOWN_ELEMENTS));
            assert(problems.length === 0, problems.join("; "));
            // Clicking every link the renderer made asks the host to open http(s)/mailto addresses only.
            const links = view.page.locator(".md-link");
            const n = await links.count();
            for (let i = 0; i < n; i++) await links.nth(i).click({ force: true });
            const opened = await view.page.evaluate(() => window.__posted.filter((m) => m.type === "openLink").map((m) => m.url));
            const bad = opened.filter((u) => !/^(https?:\/\/|mailto:)/.test(u));
            assert(bad.length === 0, `links posted for other schemes: ${bad.join(", ")}`);
            assert(server.strayRequests().length === 0 && (await view.page.evaluate(() => location.pathname)) === "/", "a click fetched or navigated");
            assert(view.pageErrors.length === 0, `page errors: ${view.pageErrors.join("; ")}`);
            return `${s.elements} elements, all the renderer's own; ${n} links, each only a request to the host (${opened.length} http(s)/mailto); nothing ran, fetched or moved`;
        });

        await checks.check("layout holds with every payload (page width, input box on screen and uncovered)", async () => {
            const failures = [];
            for (const [name, text] of payloads) {
                await view.post({ type: "notice", level: "error", message: text });
                await view.frames();
                const problems = layoutProblems(await inspect(view.page));
                if (problems.length) failures.push(`${name} notice: ${problems.join(", ")}`);
            }
            await view.page.evaluate(() => document.getElementById("conversation").scrollTo(0, 1e9));
            const problems = layoutProblems(await inspect(view.page));
            if (problems.length) failures.push(`conversation: ${problems.join(", ")}`);
            assert(failures.length === 0, failures.slice(0, 4).join("; "));
            const n = await view.page.evaluate(() => document.querySelector("#notice .notice-text").textContent.length);
            assert(n <= 602, `the last notice shows ${n} characters, not a clipped text`);
            const button = await view.page.locator("#notice .show-log").innerText();
            assert(/Show Log/.test(button), `no Show Log under a clipped notice: "${button}"`);
            await view.page.locator("#notice .show-log").click();
            const posted = await view.page.evaluate(() => window.__posted.at(-1));
            assert(posted?.type === "showLog", `Show Log posted ${JSON.stringify(posted)}`);
            return `${payloads.length} notices, each clipped to at most 600 characters; Show Log asks the host for the log`;
        });

        await checks.check("an unterminated U+202E in one token does not reverse the tokens after it, the other model's included", async () => {
            await view.post({ type: "turnStart", turn: turn("bidi", "bidi") });
            await view.post({ type: "tokens", turnId: "bidi", tokens: [["\u202Eabc", "slm", 0.1], ["def", "llm", 0.5], ["ghi", "slm", 0.1]] });
            await view.frames();
            const x = await view.page.evaluate(() => {
                const toks = [...document.querySelectorAll('section[data-turn-id="bidi"] .trace .tok')];
                const charX = (span, i) => {
                    const r = document.createRange();
                    r.setStart(span.firstChild, i);
                    r.setEnd(span.firstChild, i + 1);
                    return r.getBoundingClientRect().left;
                };
                return { d: charX(toks[1], 0), f: charX(toks[1], 2), g: charX(toks[2], 0), i: charX(toks[2], 2), firstRight: toks[0].getBoundingClientRect().right };
            });
            assert(x.d < x.f && x.g < x.i, `the following tokens are reversed: ${JSON.stringify(x)}`);
            assert(x.f < x.g && x.d >= x.firstRight - 1, `the tokens are out of order: ${JSON.stringify(x)}`);
            return "LLM and SLM tokens after it read left to right, in order";
        });

        await checks.check(`${malformedMessages.length + 1} malformed host messages are dropped with a log line; the view keeps rendering`, async () => {
            await view.post({ type: "turnStart", turn: turn("t-run", "still alive?") });
            const before = { warnings: view.warnings.length, posted: await view.page.evaluate(() => window.__posted.length) };
            for (const m of malformedMessages) await view.post(m);
            // A getter that throws: built in the page, since it cannot cross as JSON.
            await view.page.evaluate(() => window.dispatchEvent(new MessageEvent("message", { data: { get type() { throw new Error("hostile getter"); } } })));
            const problems = await view.page.evaluate((n) => window.__posted.slice(n).filter((m) => m.type === "viewProblem").map((m) => m.message), before.posted);
            assert(view.pageErrors.length === 0, `uncaught errors: ${view.pageErrors.join("; ")}`);
            assert(problems.length === malformedMessages.length + 1, `${problems.length} log lines for ${malformedMessages.length + 1} bad messages: ${problems.slice(0, 3).join(" | ")}`);
            assert(view.warnings.length - before.warnings === problems.length, `${view.warnings.length - before.warnings} console warnings`);
            assert(problems.some((p) => /"init" message.*turns is not a list/.test(p)), `no line names the init without turns: ${problems.join(" | ")}`);
            await view.post({ type: "tokens", turnId: "t-run", tokens: [["yes", "llm", 0.3]] });
            await view.frames();
            const text = await view.page.evaluate(() => document.querySelector('section[data-turn-id="t-run"] .trace').textContent);
            assert(text === "yes", `the next valid tokens show "${text}"`);
            await view.post({ type: "init", turns: [{ ...turn("t-init", "after init"), tokens: [["ok", "slm", 0]], state: "done", answer: null, stopReason: "eog", stats: stats(1) }], status: status() });
            const turns = await view.page.evaluate(() => [...document.querySelectorAll("section.turn")].map((s) => s.dataset.turnId));
            assert(turns.join() === "t-init", `after a valid init the view shows ${turns.join()}`);
            return `each with a console warning and a line to the host's log, e.g. "${problems[6]}"`;
        });

        await checks.check("Stop: nothing is printed after the click (tokens received are painted once, later ones dropped)", async () => {
            await view.post({ type: "turnStart", turn: turn("t-stop", "stop me") });
            await view.post({ type: "status", status: status(undefined, "running") });
            await view.post({ type: "tokens", turnId: "t-stop", tokens: Array.from({ length: 10 }, (_, i) => [`a${i} `, "slm", 0.1]) });
            await view.frames();
            const r = await view.page.evaluate(() => {
                const count = () => document.querySelectorAll('section[data-turn-id="t-stop"] .tok').length;
                const deliver = (tokens) => window.dispatchEvent(new MessageEvent("message", { data: { type: "tokens", turnId: "t-stop", tokens } }));
                deliver(Array.from({ length: 5 }, (_, i) => [`b${i} `, "llm", 0.4])); // received, not painted yet
                const beforeClick = count();
                document.getElementById("stop").click();
                const atClick = count();
                deliver(Array.from({ length: 50 }, (_, i) => [`c${i} `, "slm", 0.1])); // in flight when Stop was pressed
                return { beforeClick, atClick, posted: window.__posted.at(-1) };
            });
            await view.frames();
            const after = await view.page.evaluate(() => document.querySelectorAll('section[data-turn-id="t-stop"] .tok').length);
            assert(r.posted?.type === "stop", `Stop posted ${JSON.stringify(r.posted)}`);
            assert(r.beforeClick === 10 && r.atClick === 15, `tokens shown: ${r.beforeClick} before the click, ${r.atClick} right after (want 10, 15)`);
            assert(after === 15, `${after} tokens shown two frames after Stop (want 15)`);
            await view.post({ type: "turnDone", turnId: "t-stop", answer: null, stopReason: "abort", stats: stats(1) });
            return "15 tokens at the click, 15 after; the 50 in flight never shown";
        });

        await checks.check("Send is disabled while answering and enabled again after", async () => {
            await view.post({ type: "turnStart", turn: turn("t-send", "busy") });
            await view.post({ type: "status", status: status(undefined, "running") });
            const during = await view.page.evaluate(() => document.getElementById("send").hasAttribute("disabled"));
            await view.page.fill("#prompt", "second question");
            await view.page.keyboard.press("Enter");
            const kept = await view.page.inputValue("#prompt");
            await view.post({ type: "turnDone", turnId: "t-send", answer: "1", stopReason: "eog", stats: stats(1) });
            await view.post({ type: "status", status: status() });
            const afterDone = await view.page.evaluate(() => document.getElementById("send").hasAttribute("disabled"));
            assert(during && !afterDone, `Send disabled: ${during} while answering, ${afterDone} after`);
            assert(kept === "second question", `Enter while answering took the text away ("${kept}")`);
            // A refused question comes back selected, so the next one typed replaces it.
            await view.page.fill("#prompt", "");
            await view.post({ type: "restorePrompt", text: "What is 5 + 6?" });
            await view.page.keyboard.type("What is 47 * 36?");
            const next = await view.page.inputValue("#prompt");
            assert(next === "What is 47 * 36?", `after a refused question the input reads "${next}"`);
            return "Enter while answering keeps the text; a given-back question is replaced by the next one typed";
        });

        // Rendered, the thinking and the reply each appear once, and the think tags never.
        for (const [name, tokens, answerStream, thinkingText] of [
            ["the demo pair's Answer line", ["47 * 36", " = 1692", ".\n", "Ans", "wer", ":", " 16", "92"], "Answer: 1692", "47 * 36 = 1692."],
            ["a reasoning model's </think>", ["<think>", "Answer: 4?\n", "no, 5", "</think>", "\n\nIt is ", "5."], "It is 5.", "Answer: 4?\nno, 5"],
        ]) {
            await checks.check(`the thinking block folds while the answer streams (${name}) and stays as the user sets it`, async () => {
                const id = `fold-${answerStream.length}`;
                const cut = tokens.findIndex((t) => /Ans|<\/think>/.test(t) && !t.startsWith("Answer: 4"));
                await view.post({ type: "turnStart", turn: turn(id, "fold") });
                await view.post({ type: "tokens", turnId: id, tokens: tokens.slice(0, cut).map((t) => [t, "slm", 0.1]) });
                await view.frames();
                const sel = `section[data-turn-id="${id}"]`;
                const read = () => view.page.evaluate((s) => ({
                    open: document.querySelector(`${s} details.thinking`).open,
                    answerShown: !document.querySelector(`${s} .answer`).hidden,
                    stream: document.querySelector(`${s} .answer .md`)?.textContent ?? "",
                    answerText: document.querySelector(`${s} .answer .md`)?.textContent,
                    trace: document.querySelector(`${s} .trace`).textContent,
                }), sel);
                const early = await read();
                await view.post({ type: "tokens", turnId: id, tokens: tokens.slice(cut).map((t) => [t, "llm", 0.3]) });
                await view.frames();
                await view.page.waitForTimeout(50); // the async `toggle` event of the fold has fired by now
                await view.post({ type: "tokens", turnId: id, tokens: [["", "slm", 0]] });
                await view.frames();
                const streaming = await read();
                assert(early.open && !early.answerShown, `before the answer: ${JSON.stringify(early)}`);
                assert(!streaming.open && streaming.answerShown && streaming.stream === answerStream,
                    `while the answer streams: ${JSON.stringify(streaming)}`);
                // The user opens it again: later tokens and the end leave it open.
                await view.page.locator(`${sel} details.thinking > summary`).click();
                await view.post({ type: "tokens", turnId: id, tokens: [[" ", "slm", 0]] });
                await view.post({ type: "turnDone", turnId: id, answer: "5", stopReason: "eog", stats: stats(3) });
                await view.frames();
                const done = await read();
                assert(done.open, "the user's open thinking block folded again");
                assert(done.answerText === answerStream && done.trace === thinkingText && !/<\/?think>/.test(done.trace + done.answerText),
                    `after the end: ${JSON.stringify(done)}`);
                return `folded with "${JSON.stringify(answerStream).slice(1, -1)}" streaming apart`;
            });
        }

        await checks.check("an error before any token shows no empty thinking box and no stats", async () => {
            await view.post({ type: "turnStart", turn: turn("t-err", "fails") });
            await view.post({ type: "turnError", turnId: "t-err", message: "The model file is damaged." });
            const r = await view.page.evaluate(() => {
                const s = document.querySelector('section[data-turn-id="t-err"]');
                return { text: s.innerText, thinkingHidden: s.querySelector("details.thinking").hidden, stats: s.querySelector(".stats-toggle").hidden };
            });
            assert(r.thinkingHidden && r.stats && !/0 tokens|tok\/s/.test(r.text), JSON.stringify(r));
            return r.text.replace(/\s+/g, " ").trim();
        });
        await checks.check("the first question shows at once with Loading models…, until the first token", async () => {
            await view.post({ type: "turnStart", turn: turn("t-load", "What is 6 * 7?") });
            await view.post({ type: "status", status: status(undefined, "loading") });
            const read = () => view.page.evaluate(() => {
                const s = document.querySelector('section[data-turn-id="t-load"]');
                const loading = s.querySelector(".loading");
                return { question: s.querySelector(".question").innerText, loading: loading && !loading.hidden ? loading.innerText : "",
                    status: document.getElementById("status").textContent };
            });
            const waiting = await read();
            await view.post({ type: "status", status: status(undefined, "running") });
            await view.post({ type: "tokens", turnId: "t-load", tokens: [["6 * 7 = 42", "slm", 0.1]] });
            await view.frames();
            const streaming = await read();
            await view.post({ type: "turnDone", turnId: "t-load", answer: "42", stopReason: "eog", stats: stats(1) });
            await view.post({ type: "status", status: status() });
            assert(waiting.question === "What is 6 * 7?" && waiting.loading === "Loading models…" && /^Loading models…/.test(waiting.status),
                `while loading: ${JSON.stringify(waiting)}`);
            assert(streaming.loading === "", `Loading models… still shown once tokens arrive: ${JSON.stringify(streaming)}`);
            return `question "${waiting.question}", "${waiting.loading}" in the turn and the status until the first token`;
        });

        await checks.check("an Explain turn shows its short label; the full prompt is one click away, as text", async () => {
            const prompt = 'Explain the following typescript code from util.ts (from line 3). Reason step by step.\n\n```typescript\nconst a = "<b>x</b>";\n```';
            const label = "Explain selection · util.ts · 11 lines";
            await view.post({ type: "turnStart", turn: { ...turn("t-explain", prompt, label), kind: "explain" } });
            const read = () => view.page.evaluate(() => {
                const q = document.querySelector('section[data-turn-id="t-explain"] .question');
                const d = q.querySelector("details.prompt-details");
                return { shown: q.innerText.trim(), open: d?.open, full: d?.querySelector(".prompt-text")?.textContent, bold: q.querySelectorAll("b").length };
            });
            const closed = await read();
            await view.page.locator('section[data-turn-id="t-explain"] details.prompt-details > summary').click();
            const opened = await read();
            await view.post({ type: "turnError", turnId: "t-explain", message: "stopped" });
            assert(closed.open === false && !closed.shown.includes("Reason step by step") && closed.shown.startsWith(label),
                `before the click the question reads ${JSON.stringify(closed.shown)}`);
            assert(opened.open && opened.full === prompt && opened.bold === 0, `after the click: ${JSON.stringify(opened)}`);
            return `"${closed.shown.replace(/\s+/g, " ")}"; one click shows the ${prompt.length}-character prompt as text`;
        });

        await checks.check("Clear offers Undo, which asks the host for the turns back", async () => {
            await view.post({ type: "cleared", undoable: true });
            const bar = await view.page.evaluate(() => ({ text: document.getElementById("notice").innerText, hidden: document.getElementById("notice").hidden,
                turns: document.querySelectorAll("section.turn").length }));
            await view.page.locator("#undo-clear").click();
            const posted = await view.page.evaluate(() => window.__posted.at(-1));
            const after = await view.page.evaluate(() => document.getElementById("notice").hidden);
            assert(!bar.hidden && /Conversation cleared/.test(bar.text) && /Undo/.test(bar.text) && bar.turns === 0, JSON.stringify(bar));
            assert(posted?.type === "undoClear", `Undo posted ${JSON.stringify(posted)}`);
            assert(after, "the Undo bar stays after Undo");
            await view.post({ type: "cleared" });
            const none = await view.page.evaluate(() => document.getElementById("undo-clear"));
            assert(none === null, "Undo offered after clearing an empty conversation");
            return `"${bar.text.replace(/\s+/g, " ").trim()}"; Undo posts undoClear`;
        });

        await checks.check("Regenerate (last turn only), Edit and resend, its Undo, Escape and Up post what the host acts on", async () => {
            const done = (id, prompt) => ({ ...turn(id, prompt), state: "done", tokens: [["4", "slm", 0.1]], answer: "4", stopReason: "eog", stats: stats(1) });
            await view.post({ type: "init", turns: [done("w1", "What is 2 + 2?"), done("w2", "Now add 1")], status: status() });
            const p = view.page;
            const last = () => p.evaluate(() => window.__posted.at(-1));
            const regen = await p.evaluate(() => [...document.querySelectorAll("section.turn")].map((s) => {
                const b = s.querySelector(".regenerate");
                return b && !b.hidden ? b.getAttribute("aria-label") : null;
            }));
            await p.locator('section[data-turn-id="w2"] .regenerate').click();
            const regenerated = await last();
            await p.locator("#prompt").fill("my draft");
            await p.locator('section[data-turn-id="w1"] .edit-question').click();
            const editing = await p.evaluate(() => ({ box: document.getElementById("prompt").value, bar: document.getElementById("editing").innerText, hidden: document.getElementById("editing").hidden,
                focused: document.activeElement?.id }));
            await p.keyboard.press("Escape");
            const cancelled = await p.locator("#prompt").inputValue();
            await p.locator('section[data-turn-id="w1"] .edit-question').click();
            await p.keyboard.type("What is 3 + 3?");
            await p.keyboard.press("Enter");
            const resent = await last();
            const after = await p.evaluate(() => ({ box: document.getElementById("prompt").value, hidden: document.getElementById("editing").hidden }));
            await view.post({ type: "undoOffer", action: "resend", message: "Question edited: 2 turns replaced." });
            const bar = await p.locator("#notice").innerText();
            await p.locator("#undo-resend").click();
            const undone = await last();
            await p.locator("#prompt").fill("");
            await p.locator("#prompt").press("ArrowUp");
            const recalled = await p.locator("#prompt").inputValue();
            await p.locator("#prompt").press("ArrowDown");
            const back = await p.locator("#prompt").inputValue();
            assert(JSON.stringify(regen) === JSON.stringify([null, "Regenerate answer"]), `Regenerate shown on ${JSON.stringify(regen)}`);
            assert(regenerated?.type === "regenerate" && regenerated.turnId === "w2", `Regenerate posted ${JSON.stringify(regenerated)}`);
            assert(editing.box === "What is 2 + 2?" && !editing.hidden && /the 1 turn after it/.test(editing.bar) && editing.focused === "prompt", `Edit: ${JSON.stringify(editing)}`);
            assert(cancelled === "my draft", `Escape left ${JSON.stringify(cancelled)} in the box`);
            assert(resent?.type === "resend" && resent.turnId === "w1" && resent.prompt === "What is 3 + 3?", `Send posted ${JSON.stringify(resent)}`);
            assert(after.box === "" && after.hidden, `after Send: ${JSON.stringify(after)}`);
            assert(/2 turns replaced/.test(bar) && undone?.type === "undoResend", `Undo bar "${bar}" posted ${JSON.stringify(undone)}`);
            assert(recalled === "What is 3 + 3?" && back === "", `Up → ${JSON.stringify(recalled)}, Down → ${JSON.stringify(back)}`);
            return `"${editing.bar.trim()}"; resend {turnId: w1}; "${bar.replace(/\s+/g, " ").trim()}" → undoResend; Up "${recalled}"`;
        });

        await checks.check("a broken model path is named where Ready would be, with Choose Models… next to it; a fixed one removes its notice", async () => {
            await view.post({ type: "notice", level: "error", message: "The SLM file /m/slm.gguf does not exist." });
            await view.post({ type: "status", status: { ...status(), problem: "SLM file missing" } });
            const read = () => view.page.evaluate(() => ({ status: document.getElementById("status").textContent,
                fix: !document.getElementById("fix-models").hidden, notice: !document.getElementById("notice").hidden }));
            const broken = await read();
            await view.page.locator("#fix-models").click();
            const posted = await view.page.evaluate(() => window.__posted.at(-1));
            await view.post({ type: "status", status: status() });
            await view.post({ type: "noticeCleared" });
            const fixed = await read();
            assert(/SLM file missing/.test(broken.status) && !/Ready/.test(broken.status) && broken.fix && broken.notice, `broken: ${JSON.stringify(broken)}`);
            assert(posted?.type === "chooseModels", `the fix button posted ${JSON.stringify(posted)}`);
            assert(/^Ready/.test(fixed.status) && !fixed.fix && !fixed.notice, `fixed: ${JSON.stringify(fixed)}`);
            return `"${broken.status}" → "${fixed.status}", notice removed`;
        });

        // The control: the same detectors do see markup that reaches the page as HTML.
        await checks.check("the detectors catch markup injected as HTML (control)", async () => {
            await showTokens(twin, true);
            const before = await inspect(twin.page);
            await twin.page.evaluate((origin) => {
                const host = document.querySelector(".trace-chunk");
                host.insertAdjacentHTML("beforeend", `<img src="${origin}/beacon-control"><img src=x onerror="window.__pwned='control'">`);
            }, server.origin);
            await twin.page.waitForTimeout(500);
            const after = await inspect(twin.page);
            assert(server.strayRequests().includes("/beacon-control"), `the fetch went unseen: ${server.strayRequests().join(", ")}`);
            assert(after.violations.length > before.violations.length, "the inline handler went unseen (no CSP violation)");
            assert(after.elements === before.elements + 2 && after.traceChildren > 0 && after.badAttrs.length > 0, "the new elements went unseen");
            server.requests.length = 0;
            return `fetch, CSP violation (${after.violations.at(-1)}), 2 extra elements and their attributes all seen`;
        });
        await timelineChecks(checks, view, SCREENSHOTS);
        await checks.check("the header's model picker names the pair (accessible name too) and opens the host's list; the demo note sits under its answer, its buttons while the demo pair is in use", async () => {
            const page = view.page;
            await view.post({ type: "init", turns: [], status: { ...status(), pair: "demo pair", demo: true } });
            const picker = () => page.evaluate(() => {
                const b = document.getElementById("model-picker");
                return { text: b.textContent.trim(), name: b.getAttribute("aria-label"), top: b.getBoundingClientRect().top };
            });
            const before = await picker();
            await page.locator("#model-picker").click();
            const posted = await page.evaluate(() => window.__posted.at(-1));
            await view.post({ type: "turnStart", turn: turn("d1", "Explain what a hash map is") });
            await view.post({ type: "tokens", turnId: "d1", tokens: [["Answer: 32", "slm", 0.1]] });
            const note = "The embedded demo models only solve \"What is A op B?\" arithmetic; this question is not of that form, so this answer is not meaningful.";
            await view.post({ type: "turnDone", turnId: "d1", answer: "32", stopReason: "eog", stats: stats(1), demoNote: note });
            await view.frames();
            const read = () => page.evaluate(() => {
                const t = document.querySelector('section[data-turn-id="d1"]');
                const n = t.querySelector(".demo-note");
                const answer = t.querySelector(".answer");
                return {
                    text: n?.querySelector(".demo-note-text")?.textContent,
                    // Under the answer it is about.
                    below: !!(n && answer && answer.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_FOLLOWING),
                    buttons: [...(n?.querySelectorAll("vscode-button") ?? [])].filter((b) => b.getBoundingClientRect().width > 0).map((b) => b.textContent),
                    banner: !document.getElementById("notice").hidden,
                };
            });
            const withDemo = await read();
            await page.locator('section[data-turn-id="d1"] .demo-note .demo-download').click();
            const download = await page.evaluate(() => window.__posted.at(-1));
            await page.screenshot({ path: join(SCREENSHOTS, "webview-demo-note.png") });
            await view.post({ type: "status", status: { ...status("s + l"), pair: "small + big", demo: false } });
            const after = await read();
            const renamed = await picker();
            assert(before.text === "demo pair" && before.name === "Models: demo pair. Choose models", `picker: ${JSON.stringify(before)}`);
            assert(posted?.type === "chooseModels", `the picker posted ${JSON.stringify(posted)}`);
            assert(withDemo.text === note && withDemo.below && !withDemo.banner, `note: ${JSON.stringify(withDemo)}`);
            assert(withDemo.buttons.join() === "Download Recommended Models…,Choose Models…", `buttons: ${withDemo.buttons.join()}`);
            assert(download?.type === "downloadModels", `Download posted ${JSON.stringify(download)}`);
            assert(after.text === note && after.buttons.length === 0, `after other models: ${JSON.stringify(after)}`);
            assert(renamed.text === "small + big" && renamed.name === "Models: small + big. Choose models", `renamed: ${JSON.stringify(renamed)}`);
            return `"${before.text}" → "${renamed.text}"; the note under the answer, its buttons ${withDemo.buttons.join(" / ")} gone once the models changed, the note kept`;
        });

        await webviewA11yChecks(checks, { browser, server });
        await turnLayoutChecks(checks, { browser, server });
        await checks.check("no uncaught error in the whole phase", async () => {
            assert(view.pageErrors.length === 0 && twin.pageErrors.length === 0, [...view.pageErrors, ...twin.pageErrors].join("; "));
        });
    } catch (e) {
        checks.fail("phase W ran to the end", e);
    } finally {
        await browser.close().catch(() => {});
        await server.close();
    }
    return checks;
}
