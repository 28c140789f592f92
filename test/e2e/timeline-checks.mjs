// The entropy timeline in the chat view's page alone (phase W): a 600-token answer streamed in
// batches with switches (two at one position, as R-Stitch writes them), one point per token, switch
// marks equal to the turn's switches, nothing redrawn while it streams, hover both ways, a click that
// opens the folded thinking, and the same timeline after a reload (init).
import { join } from "node:path";
import { assert } from "./lib/checks.mjs";

const N = 600;
const BATCH = 25;
const TAU = 0.01;

/** A made-up but R-Stitch-shaped answer: SLM spans, LLM spans, a hand-back and take-over at one index. */
export function syntheticAnswer(n = N) {
    const tokens = [];
    const switches = [];
    let source = "slm";
    for (let i = 0; i < n; i++) {
        // Every 40 tokens the SLM is unsure: the LLM writes 3 tokens, hands back, and (every 80) takes over again at once.
        const phase = i % 40;
        if (phase === 20 && source === "slm") {
            switches.push({ index: i, from: "slm", to: "llm", entropy: 0.2 });
            source = "llm";
        } else if (phase === 23 && source === "llm") {
            switches.push({ index: i, from: "llm", to: "slm", entropy: 0.004 });
            source = "slm";
            if (i % 80 === 23) {
                switches.push({ index: i, from: "slm", to: "llm", entropy: 0.06 });
                source = "llm";
            }
        } else if (phase === 25 && source === "llm") {
            switches.push({ index: i, from: "llm", to: "slm", entropy: 0.001 });
            source = "slm";
        }
        const entropy = source === "llm" ? 0.002 : i % 7 === 0 ? 0.3 : (i % 13) / 2000;
        tokens.push([i % 30 === 29 ? `w${i}\n` : `w${i} `, source, entropy]);
    }
    return { tokens, switches };
}

const turnOf = (id) => ({ id, kind: "solve", prompt: "timeline", mode: "stitch", threshold: TAU, models: "demo-slm + demo-llm", tokens: [], state: "running" });
const statsOf = (n, switches) => ({
    mode: "stitch", threshold: TAU, slm: { tokens: n, prefillTokens: 1, calls: n, wallMs: 1 }, llm: { tokens: 0, prefillTokens: 1, calls: 1, wallMs: 1 },
    totalTokens: n, switches, discardedSlmTokens: 0, llmShare: 0, wallMs: 10, tokensPerSecond: 100,
});

function readTimeline(page, id) {
    return page.evaluate((id) => {
        const s = document.querySelector(`section[data-turn-id="${id}"]`);
        const tl = s.querySelector(".timeline");
        return {
            hidden: tl.hidden,
            points: tl.querySelectorAll(".tl-point").length,
            slmPoints: tl.querySelectorAll(".tl-point.slm").length,
            marks: [...tl.querySelectorAll(".tl-switch")].map((m) => Number(m.getAttribute("data-index"))),
            tokens: s.querySelectorAll(".tok[data-i]").length,
            firstKept: tl.querySelector(".tl-point")?.__kept === true,
            pageWidth: document.documentElement.scrollWidth,
            viewWidth: window.innerWidth,
        };
    }, id);
}

export async function timelineChecks(checks, view, screenshots) {
    const id = "t-timeline";
    const { tokens, switches } = syntheticAnswer();
    await checks.check(`the timeline streams a ${N}-token answer: one point per token, one mark per switch, nothing redrawn`, async () => {
        await view.post({ type: "turnStart", turn: turnOf(id) });
        let sent = 0;
        let k = 0;
        for (let b = 0; b < N; b += BATCH) {
            const batch = tokens.slice(b, b + BATCH);
            const sw = [];
            while (k < switches.length && switches[k].index < b + BATCH) sw.push(switches[k++]);
            await view.post({ type: "tokens", turnId: id, tokens: batch, ...(sw.length ? { switches: sw } : {}) });
            sent += batch.length;
            if (b === 0) {
                await view.frames();
                // Tag the first point: if a later batch redrew the plot, the tag would be gone.
                await view.page.evaluate((id) => { document.querySelector(`section[data-turn-id="${id}"] .tl-point`).__kept = true; }, id);
            }
            if (b % (BATCH * 4) === 0) await view.frames();
        }
        await view.post({ type: "turnDone", turnId: id, answer: null, stopReason: "budget", stats: statsOf(N, switches.length) });
        await view.frames();
        const r = await readTimeline(view.page, id);
        assert(!r.hidden, "the timeline is hidden");
        assert(r.points === sent && r.tokens === sent, `${r.points} points, ${r.tokens} token spans for ${sent} tokens`);
        assert(r.slmPoints === tokens.filter((t) => t[1] === "slm").length, `${r.slmPoints} SLM points`);
        assert(JSON.stringify(r.marks) === JSON.stringify(switches.map((s) => s.index)), `switch marks at ${r.marks.slice(0, 8)}… want ${switches.map((s) => s.index).slice(0, 8)}…`);
        assert(r.firstKept, "the first point was redrawn while the answer streamed");
        assert(r.pageWidth <= r.viewWidth, `the page is ${r.pageWidth} px wide in a ${r.viewWidth} px view`);
        return `${r.points} points, ${r.marks.length} switch marks (two at one position where the LLM hands back and takes over again)`;
    });

    await checks.check("hovering a point marks its token; hovering a token marks its point", async () => {
        const sel = `section[data-turn-id="${id}"]`;
        // Folded to a strip by default: the toggle unfolds the chart.
        const toggle = view.page.locator(`${sel} .tl-toggle`);
        if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
        // The answer folded nothing here (no Answer line): the thinking block is open.
        const i = switches[0].index + 1; // an LLM token
        const point = view.page.locator(`${sel} .tl-point[data-i="${i}"]`);
        await point.scrollIntoViewIfNeeded();
        await point.hover({ force: true });
        const fromPoint = await view.page.evaluate((s) => ({
            marked: [...document.querySelectorAll(`${s} .tok.tok-hl`)].map((t) => t.dataset.i),
            readout: document.querySelector(`${s} .tl-readout`).textContent,
        }), sel);
        assert(fromPoint.marked.length === 1 && fromPoint.marked[0] === String(i), `hovering point ${i} marked tokens ${JSON.stringify(fromPoint.marked)}`);
        // Numbered from 1, as the status line numbers it.
        assert(fromPoint.readout === `token ${i + 1} of ${N} · LLM · H = ${tokens[i][2].toFixed(3)}`, `readout "${fromPoint.readout}"`);
        const j = 7;
        await view.page.locator(`${sel} .tok[data-i="${j}"]`).hover();
        const fromToken = await view.page.evaluate((s) => [...document.querySelectorAll(`${s} .tl-point.hl`)].map((p) => p.getAttribute("data-i")), sel);
        assert(fromToken.length === 1 && fromToken[0] === String(j), `hovering token ${j} marked points ${JSON.stringify(fromToken)}`);
        await view.page.mouse.move(0, 0);
        const none = await view.page.evaluate((s) => document.querySelectorAll(`${s} .tl-point.hl, ${s} .tok.tok-hl`).length, sel);
        assert(none === 0, `${none} marks left after the pointer went away`);
        return `point ${i} → token ${i} ("${fromPoint.readout}"), token ${j} → point ${j}`;
    });

    await checks.check("a click on a point opens the folded thinking and shows its token", async () => {
        const sel = `section[data-turn-id="${id}"]`;
        await view.page.evaluate((s) => { document.querySelector(`${s} details.thinking`).open = false; }, sel);
        const i = 450;
        const point = view.page.locator(`${sel} .tl-point[data-i="${i}"]`);
        await point.scrollIntoViewIfNeeded();
        await point.click({ force: true });
        const r = await view.page.evaluate(({ s, i }) => {
            const tok = document.querySelector(`${s} .tok[data-i="${i}"]`);
            const box = tok.getBoundingClientRect();
            const list = document.getElementById("conversation").getBoundingClientRect();
            return { open: document.querySelector(`${s} details.thinking`).open, marked: tok.classList.contains("tok-hl"), inView: box.top >= list.top - 1 && box.bottom <= list.bottom + 1,
                box: [box.top, box.bottom], list: [list.top, list.bottom] };
        }, { s: sel, i });
        assert(r.open && r.marked && r.inView, JSON.stringify(r));
        if (screenshots) await view.page.screenshot({ path: join(screenshots, "W-timeline-600-tokens.png") });
        return `token ${i} marked and scrolled into view`;
    });

    await checks.check("after a reload (init from the stored turns) the timeline is drawn again, the same", async () => {
        const turn = { ...turnOf(id), tokens, switches, state: "done", answer: null, stopReason: "budget", stats: statsOf(N, switches.length) };
        await view.post({ type: "init", turns: [turn], status: { state: "idle", models: "demo-slm + demo-llm" } });
        await view.frames();
        const r = await readTimeline(view.page, id);
        assert(r.points === N && r.marks.length === switches.length, `${r.points} points, ${r.marks.length} marks after init`);
        return `${r.points} points, ${r.marks.length} marks`;
    });
}
