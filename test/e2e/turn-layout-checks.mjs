// Phase W: a turn in the default 300 px side bar, in the chat page alone. Nothing in a turn scrolls
// sideways or wraps; the timeline is a strip whose toggle (keyboard too) unfolds the chart for every
// turn and is remembered; the stats line opens its details by keyboard; the status line shows with
// the thinking folded; Send brings the new turn into view however far up the user had scrolled; a
// stopped turn's thinking header, timeline and stats count the same tokens and switches.
import { assert } from "./lib/checks.mjs";
import { openChatPage } from "./lib/webview-page.mjs";

const WIDTH = 300;
const status = (state = "idle") => ({ state, models: "demo-slm + demo-llm" });
const turn = (id, prompt) => ({ id, kind: "solve", prompt, mode: "stitch", threshold: 0.02, models: "demo-slm + demo-llm", tokens: [], switches: [], state: "running" });

/** A demo-pair-shaped answer: "47 * 36 = 1692 …" in runs of SLM and LLM tokens, a switch at each change. */
export function demoAnswer(n = 60) {
    const tokens = [];
    const switches = [];
    const words = ["47", " *", " 36", " =", " 16", "92", ".", "\n"];
    for (let i = 0; i < n; i++) {
        const source = i % 7 < 4 ? "slm" : "llm";
        const previous = tokens[i - 1]?.[1];
        if (previous && previous !== source) switches.push({ index: i, from: previous, to: source, entropy: source === "llm" ? 0.3 : 0.004 });
        const text = i === n - 2 ? "Answer:" : i === n - 1 ? " 1692" : words[i % words.length];
        tokens.push(previous && previous !== source ? [text, source, 0.05, source === "llm" ? 0.3 : 0.004] : [text, source, 0.05]);
    }
    return { tokens, switches };
}

/** The decoder's stats for `tokens`, or (overcounted) as a stopped decoder reports them: more than was shown. */
export function statsFor(tokens, switches, extra = { tokens: 0, switches: 0 }) {
    const llm = tokens.filter((t) => t[1] === "llm").length + extra.tokens;
    const total = tokens.length + extra.tokens;
    return {
        mode: "stitch", threshold: 0.02,
        slm: { tokens: total - llm, prefillTokens: 40, calls: total, wallMs: 30 }, llm: { tokens: llm, prefillTokens: 60, calls: llm, wallMs: 70 },
        totalTokens: total, switches: switches.length + extra.switches, discardedSlmTokens: 7, llmShare: llm / total, wallMs: 120, tokensPerSecond: (1000 * total) / 120,
        prompt: { tokens: 30, prefill: { slm: 30, llm: 30 }, turnsLeftOut: 1, contextSize: 512 },
    };
}

/** The focused element of the page whose body is `body` (a locator: the page alone, or the editor's webview). */
export const activeIn = (body) => body.evaluate(() => {
    const a = document.activeElement;
    return a === document.body || !a ? "body" : a.id ? `#${a.id}` : [a.localName, ...a.classList].join(".");
});

/** Moves the keyboard into `section` (its first control) and on with Down until `cls` has the focus. */
export async function focusControl(keyboard, body, section, cls) {
    await section.locator("summary").first().focus();
    for (let i = 0; i < 12 && !(await activeIn(body)).includes(cls); i++) await keyboard.press("ArrowDown");
    const now = await activeIn(body);
    assert(now.includes(cls), `ArrowDown never reached ${cls} (stopped on ${now})`);
}

/**
 * What a turn shows at this width: sideways scrollbars (outside `exempt`), rows that wrapped, the
 * timeline's and the stats' disclosures, the status line. Shared with phase B (the real editor).
 */
export function readTurnLayout(section, exempt = "") {
    return section.evaluate((s, exempt) => {
        const scrollers = [...s.querySelectorAll("*")].filter((e) => !(exempt && e.closest(exempt))).filter((e) => {
            const o = getComputedStyle(e).overflowX;
            return (o === "auto" || o === "scroll") && e.scrollWidth > e.clientWidth + 1;
        }).map((e) => e.className.baseVal ?? e.className);
        // A row is one line when its shown children's middles meet (a wrapped one sits a row lower).
        const row = (el) => {
            if (!el) return { n: 0, spread: 0 };
            const mids = [...el.children].filter((c) => !c.hidden && c.getBoundingClientRect().height > 0).map((c) => { const b = c.getBoundingClientRect(); return (b.top + b.bottom) / 2; });
            return { n: mids.length, spread: mids.length ? Math.max(...mids) - Math.min(...mids) : 0 };
        };
        const oneLine = (el) => {
            if (!el || el.getBoundingClientRect().height === 0) return true;
            const lh = parseFloat(getComputedStyle(el).lineHeight) || parseFloat(getComputedStyle(el).fontSize) * 1.4;
            return el.getBoundingClientRect().height <= lh * 1.6;
        };
        const status = s.querySelector(".trace-status");
        const body = s.querySelector(".tl-body");
        const toggle = s.querySelector(".tl-toggle");
        const statsToggle = s.querySelector(".stats-toggle");
        const details = s.querySelector(".stats-details");
        const stats = s.querySelector(".stats");
        return {
            width: Math.round(s.getBoundingClientRect().width),
            height: Math.round(s.getBoundingClientRect().height),
            overflow: s.scrollWidth - s.clientWidth,
            pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
            scrollers,
            foot: row(s.querySelector(".turn-foot")),
            head: row(s.querySelector(".tl-head")),
            summaryOneLine: oneLine(s.querySelector(".thinking > summary")),
            statsOneLine: oneLine(stats),
            statsCut: stats ? stats.scrollWidth > stats.clientWidth : false,
            stripHeight: Math.round(s.querySelector(".tl-strip")?.getBoundingClientRect().height ?? -1),
            timelineOpen: body ? !body.hidden && body.getBoundingClientRect().height > 0 : false,
            toggleExpanded: toggle?.getAttribute("aria-expanded"),
            toggleName: toggle?.getAttribute("aria-label"),
            statsExpanded: statsToggle?.getAttribute("aria-expanded"),
            detailsShown: details ? !details.hidden && details.getBoundingClientRect().height > 0 : false,
            detailsText: details?.innerText ?? "",
            detailsRole: details?.getAttribute("role"),
            detailsLabel: details?.getAttribute("aria-label"),
            controls: statsToggle?.getAttribute("aria-controls") === details?.id,
            statsText: stats?.textContent ?? "",
            status: { shown: Boolean(status) && !status.hidden && status.getBoundingClientRect().height > 0, text: status?.textContent ?? "", inThinking: Boolean(status?.closest("details.thinking")),
                cut: status ? status.scrollWidth > status.clientWidth : false },
            thinkingOpen: s.querySelector("details.thinking")?.open,
        };
    }, exempt);
}

/** The three counts of a turn: the thinking header, the timeline's caption, the stats line. */
export function readCounts(section) {
    return section.evaluate((s) => {
        const header = /(\d+) tokens?/.exec(s.querySelector(".thinking > summary")?.textContent ?? "");
        const timeline = /(\d+) tokens?, (\d+) switch/.exec(s.querySelector(".tl-plot")?.getAttribute("aria-label") ?? "");
        const stats = s.querySelector(".stats")?.textContent ?? "";
        const tok = /(\d+) SLM \+ (\d+) LLM tokens/.exec(stats);
        const sw = /(\d+) switch(?:es)?\b/.exec(stats);
        return {
            header: header ? Number(header[1]) : undefined,
            timeline: timeline ? { tokens: Number(timeline[1]), switches: Number(timeline[2]) } : undefined,
            stats: tok && sw ? { tokens: Number(tok[1]) + Number(tok[2]), switches: Number(sw[1]) } : undefined,
            marks: s.querySelectorAll(".tl-switch").length,
            points: s.querySelectorAll(".tl-point").length,
            line: stats,
        };
    });
}

/** The three counts agree (a failure message, or ""). */
export function countsDisagree(c) {
    const ok = c.header !== undefined && c.timeline && c.stats && c.header === c.timeline.tokens && c.header === c.stats.tokens
        && c.timeline.switches === c.stats.switches && c.marks === c.stats.switches && c.points === c.header;
    return ok ? "" : `header ${c.header} tokens; timeline ${JSON.stringify(c.timeline)} (${c.points} points, ${c.marks} marks); stats ${JSON.stringify(c.stats)} ("${c.line}")`;
}

export async function turnLayoutChecks(checks, { browser, server }) {
    const view = await openChatPage(browser, server, { width: WIDTH, height: 640 });
    const { page } = view;
    const section = (id) => page.locator(`section[data-turn-id="${id}"]`);
    const body = page.locator("body");
    const active = () => activeIn(body);
    const focusControlOf = (id, cls) => focusControl(page.keyboard, body, section(id), cls);
    try {
        await view.post({ type: "init", turns: [], status: status() });
        const a = demoAnswer();
        const finish = async (id, out = a) => {
            await view.post({ type: "turnStart", turn: turn(id, "What is 47 * 36?") });
            await view.post({ type: "tokens", turnId: id, tokens: out.tokens, switches: out.switches });
            await view.post({ type: "turnDone", turnId: id, answer: "1692", stopReason: "eog", stats: statsFor(out.tokens, out.switches) });
            await view.frames();
        };
        await finish("f1");
        await finish("f2");

        await checks.check(`a finished turn fits ${WIDTH} px: no sideways scrollbar, its rows unwrapped, the timeline a strip, the stats one line`, async () => {
            const r = await readTurnLayout(section("f1"));
            assert(r.overflow <= 0 && r.pageOverflow <= 0 && r.scrollers.length === 0, `sideways: turn ${r.overflow} px, page ${r.pageOverflow} px, scrollbars on ${r.scrollers.join(", ")}`);
            assert(r.foot.n === 2 && r.foot.spread <= 4, `the stats and actions are not one row: ${JSON.stringify(r.foot)}`);
            assert(r.head.n === 2 && r.head.spread <= 4, `the timeline toggle and strip are not one row: ${JSON.stringify(r.head)}`);
            assert(r.summaryOneLine && r.statsOneLine, `wrapped: thinking header ${!r.summaryOneLine}, stats ${!r.statsOneLine}`);
            assert(!r.timelineOpen && r.toggleExpanded === "false" && r.stripHeight > 0 && r.stripHeight <= 8, `timeline: open ${r.timelineOpen}, aria-expanded ${r.toggleExpanded}, strip ${r.stripHeight} px`);
            return `${r.width} × ${r.height} px, stats ${r.statsCut ? "cut with an ellipsis" : "whole"} on one line, strip ${r.stripHeight} px`;
        });

        await checks.check("the timeline's toggle unfolds and folds the chart by keyboard, for every turn, and the choice is saved", async () => {
            await focusControlOf("f1", "tl-toggle");
            await page.keyboard.press("Enter");
            await view.frames();
            const opened = await readTurnLayout(section("f1"));
            const other = await readTurnLayout(section("f2"));
            // The state is saved at most twice a second, from the model as it is then: the saved choice
            // must be the open one before Space folds it again (else the flush would record the fold).
            const saved = await page.waitForFunction(() => window.__savedState?.()?.timelineOpen === true, null, { timeout: 5000 })
                .then(() => true, () => page.evaluate(() => window.__savedState?.()?.timelineOpen));
            // A turn that starts now starts unfolded too, and so does every turn repainted from the state.
            await finish("f3");
            const next = await readTurnLayout(section("f3"));
            const focusKept = await active();
            await page.keyboard.press(" ");
            await view.frames();
            const folded = await readTurnLayout(section("f1"));
            const foldedOther = await readTurnLayout(section("f3"));
            assert(opened.timelineOpen && opened.toggleExpanded === "true" && opened.toggleName === "Entropy timeline", `after Enter: open ${opened.timelineOpen}, aria-expanded ${opened.toggleExpanded}, name ${opened.toggleName}`);
            assert(other.timelineOpen && next.timelineOpen, `the other turns: f2 ${other.timelineOpen}, new f3 ${next.timelineOpen}`);
            assert(saved === true, `saved timelineOpen = ${saved}`);
            assert(focusKept.includes("tl-toggle"), `the focus left the toggle: ${focusKept}`);
            assert(!folded.timelineOpen && folded.toggleExpanded === "false" && !foldedOther.timelineOpen, `after Space: f1 open ${folded.timelineOpen}, f3 open ${foldedOther.timelineOpen}`);
            return `Enter: unfolded (${opened.height} px tall, every turn), saved; Space: folded again (${folded.height} px)`;
        });

        await checks.check("the stats line opens its details by keyboard: a labelled region with every figure and its meaning", async () => {
            await focusControlOf("f1", "stats-toggle");
            const before = await readTurnLayout(section("f1"));
            await page.keyboard.press("Enter");
            const open = await readTurnLayout(section("f1"));
            await page.keyboard.press("Enter");
            const closed = await readTurnLayout(section("f1"));
            assert(!before.detailsShown && before.statsExpanded === "false", `before: ${JSON.stringify({ shown: before.detailsShown, expanded: before.statsExpanded })}`);
            assert(open.detailsShown && open.statsExpanded === "true" && open.controls && open.detailsRole === "region" && open.detailsLabel, `after Enter: ${JSON.stringify({ shown: open.detailsShown, expanded: open.statsExpanded, controls: open.controls, role: open.detailsRole })}`);
            for (const part of before.statsText.split(" · ")) assert(open.detailsText.includes(part), `the details lack "${part}": ${open.detailsText}`);
            assert(/Tokens written by each model/.test(open.detailsText) && /left out to fit the context/.test(open.detailsText), `the details: ${open.detailsText}`);
            assert(!closed.detailsShown && closed.statsExpanded === "false", "Enter again did not fold the details");
            return `${open.detailsText.split("\n").length} lines, e.g. "${open.detailsText.split("\n")[0]}"`;
        });

        await checks.check("with the thinking folded, hovering the answer or the strip shows the status line, outside the fold", async () => {
            // A reasoning model's reply (after </think>) is rendered with its tokens in the answer box.
            const reply = [["<think>", "slm", 0.1], ["Add", "slm", 0.1], [" them.", "llm", 0.3, 0.3], ["</think>", "llm", 0.01], ["\n\nIt", "slm", 0.001, 0.001], [" is", "slm", 0.01], [" 1692.", "llm", 0.4, 0.4]];
            const replySwitches = [{ index: 2, from: "slm", to: "llm", entropy: 0.3 }, { index: 4, from: "llm", to: "slm", entropy: 0.001 }, { index: 6, from: "slm", to: "llm", entropy: 0.4 }];
            await finish("f2b", { tokens: reply, switches: replySwitches });
            const s = section("f2b");
            const folded = await readTurnLayout(s);
            assert(folded.thinkingOpen === false, "the thinking did not fold after the answer");
            await s.locator(".answer .tok").filter({ hasText: /\S/ }).last().hover();
            const fromAnswer = await readTurnLayout(s);
            const strip = s.locator(".tl-strip");
            const box = await strip.boundingBox();
            await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
            const fromStrip = await readTurnLayout(s);
            const expected = `token ${Math.floor(reply.length * 0.5) + 1} of ${reply.length}`;
            await page.mouse.move(0, 0);
            const away = await readTurnLayout(s);
            assert(fromAnswer.status.shown && !fromAnswer.status.inThinking && fromAnswer.status.text.startsWith("token 7 of 7 · LLM"), `hovering the answer's last token: ${JSON.stringify(fromAnswer.status)}`);
            assert(fromStrip.status.shown && fromStrip.status.text.startsWith(expected), `hovering the strip's middle: ${JSON.stringify(fromStrip.status)}, want "${expected} …"`);
            assert(!fromAnswer.status.cut && !fromStrip.status.cut, "the status line is cut");
            assert(!away.status.shown, "the status line stayed after the pointer left the turn");
            return `answer: "${fromAnswer.status.text}"; strip: "${fromStrip.status.text}"`;
        });

        await checks.check("Send with the conversation scrolled up brings the new question and its answer's start into view", async () => {
            for (let i = 4; i <= 7; i++) await finish(`f${i}`, demoAnswer(400));
            await page.evaluate(() => document.getElementById("conversation").scrollTo(0, 0));
            await page.fill("#prompt", "Now add 100 to that");
            await page.keyboard.press("Enter");
            const posted = await page.evaluate(() => window.__posted.at(-1));
            assert(posted?.type === "send" && posted.prompt === "Now add 100 to that", `Send posted ${JSON.stringify(posted)}`);
            await view.post({ type: "turnStart", turn: turn("s1", "Now add 100 to that") });
            await view.post({ type: "status", status: status("running") });
            await view.post({ type: "tokens", turnId: "s1", tokens: demoAnswer(6).tokens });
            await view.frames();
            const seen = await page.evaluate(() => {
                const list = document.getElementById("conversation").getBoundingClientRect();
                const q = document.querySelector('section[data-turn-id="s1"] .question').getBoundingClientRect();
                const tok = [...document.querySelectorAll('section[data-turn-id="s1"] .tok')].find((t) => t.getBoundingClientRect().height > 0).getBoundingClientRect();
                const inView = (b) => b.top >= list.top - 1 && b.bottom <= list.bottom + 1;
                return { question: inView(q), firstToken: inView(tok), scrollTop: document.getElementById("conversation").scrollTop };
            });
            await view.post({ type: "turnDone", turnId: "s1", answer: null, stopReason: "eog", stats: statsFor(demoAnswer(6).tokens, demoAnswer(6).switches) });
            await view.post({ type: "status", status: status() });
            assert(seen.question && seen.firstToken, `after Send from the top: question in view ${seen.question}, first token ${seen.firstToken}`);
            return `scrolled from 0 to ${Math.round(seen.scrollTop)} px; the question and the first token in view`;
        });

        await checks.check("a stopped turn: its thinking header, timeline and stats count the same tokens and switches (the decoder wrote more)", async () => {
            const out = demoAnswer(80);
            await view.post({ type: "turnStart", turn: turn("st", "stop me") });
            await view.post({ type: "status", status: status("running") });
            await view.post({ type: "tokens", turnId: "st", tokens: out.tokens.slice(0, 40), switches: out.switches.filter((x) => x.index < 40) });
            await view.frames();
            const stop = await page.evaluate((rest) => {
                const deliver = (tokens, switches) => window.dispatchEvent(new MessageEvent("message", { data: { type: "tokens", turnId: "st", tokens, switches } }));
                deliver(rest.tokens.slice(0, 10), rest.switches.filter((x) => x.index < 50)); // received, not painted yet
                document.getElementById("stop").click();
                deliver(rest.tokens.slice(10), rest.switches.filter((x) => x.index >= 50)); // in flight at the click
                return window.__posted.filter((m) => m.type === "stop").at(-1);
            }, { tokens: out.tokens.slice(40), switches: out.switches.filter((x) => x.index >= 40) });
            // As the host reports a decoder that ran on past the click (it got the Stop too late to cut the turn).
            await view.post({ type: "turnDone", turnId: "st", answer: null, stopReason: "abort", stats: statsFor(out.tokens, out.switches, { tokens: 185, switches: 14 }) });
            await view.post({ type: "status", status: status() });
            await view.frames();
            const c = await readCounts(section("st"));
            const shownSwitches = out.switches.filter((x) => x.index < 50).length;
            assert(stop?.turnId === "st" && stop.tokens === 50 && stop.switches === shownSwitches, `the Stop message ${JSON.stringify(stop)}, want 50 tokens, ${shownSwitches} switches`);
            const bad = countsDisagree(c);
            assert(!bad && c.header === 50, bad || `header ${c.header}, want 50`);
            return `Stop said 50 tokens, ${shownSwitches} switches; header, timeline and stats: ${c.header} tokens, ${c.stats.switches} switches`;
        });
    } finally {
        await view.context.close().catch(() => {});
    }
}
