// Phase B's checks of the entropy timeline and the trace file, through the UI as a person uses them:
// the timeline under a real answer (points, switch marks, hover both ways), "Export Trace…" under the
// turn (the editor's save dialog), "Open Trace…" from the palette (the open dialog), the timeline
// after the chat view is reloaded, and screenshots of it in the high-contrast themes.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { assert } from "./lib/checks.mjs";
import { runCommand, setColorTheme, showChat } from "./lib/workbench.mjs";

const QUICK_INPUT = ".quick-input-widget";

/**
 * Runs `fn` with the view's "Show tokens" switch on: the raw stream, one span per token, as the
 * timeline has one point per token and the trace one entry per token. (The rendered answer splits a
 * token over several elements where markdown breaks it, and shows none for pure markup.)
 */
async function inTokenView(wv, fn) {
    const box = wv.locator("#show-tokens");
    const was = await box.isChecked();
    if (!was) await box.check();
    try {
        return await fn();
    } finally {
        if (!was) await box.uncheck();
    }
}

/**
 * Runs `fn` with the last turn's timeline unfolded (it is a strip by default; the toggle unfolds the
 * chart of every turn), folded back after if it was folded.
 */
export async function withChart(wv, fn) {
    const toggle = wv.locator("section.turn").last().locator(".tl-toggle");
    const was = (await toggle.getAttribute("aria-expanded")) === "true";
    if (!was) await toggle.click();
    try {
        return await fn();
    } finally {
        if (!was) await toggle.click();
    }
}

/** The last turn's tokens (text, model) and its timeline, as the token view shows them. */
function readTurn(wv, nth = -1) {
    return inTokenView(wv, () => readTurnShown(wv, nth));
}

function readTurnShown(wv, nth) {
    return wv.locator("body").evaluate((body, nth) => {
        const turns = body.querySelectorAll("section.turn");
        const s = turns[nth < 0 ? turns.length + nth : nth];
        if (!s) return undefined;
        const toks = [...s.querySelectorAll(".tok[data-i]")].sort((a, b) => Number(a.dataset.i) - Number(b.dataset.i));
        return {
            id: s.dataset.turnId,
            tokens: toks.map((t) => [t.textContent, t.classList.contains("llm") ? "llm" : "slm"]),
            indices: toks.map((t) => Number(t.dataset.i)),
            points: s.querySelectorAll(".timeline .tl-point").length,
            pointSources: [...s.querySelectorAll(".timeline .tl-point")].map((p) => (p.classList.contains("llm") ? "llm" : "slm")),
            marks: [...s.querySelectorAll(".timeline .tl-switch")].map((m) => Number(m.getAttribute("data-index"))),
            timelineShown: Boolean(s.querySelector(".timeline")) && !s.querySelector(".timeline").hidden,
            stats: s.querySelector(".stats")?.innerText.replace(/\s+/g, " ") ?? "",
            label: [...s.querySelectorAll(".question .label")].map((l) => l.textContent).join(" | "),
        };
    }, nth);
}

/** The timeline under the last answer: one point per token in its model's colour, hover both ways. */
export async function checkTimeline(checks, page, wv, theme) {
    return checks.check(`the entropy timeline under the answer (${theme}): one point per token, a mark per switch, hover links point and token`, () => withChart(wv, () => inTokenView(wv, async () => {
        const t = await readTurn(wv);
        assert(t?.timelineShown, "no timeline under the answer");
        assert(t.points === t.tokens.length && t.points > 0, `${t.points} points for ${t.tokens.length} tokens`);
        assert(JSON.stringify(t.indices) === JSON.stringify(t.tokens.map((_, i) => i)), "token spans are not numbered 0…n−1");
        assert(JSON.stringify(t.pointSources) === JSON.stringify(t.tokens.map((x) => x[1])), "a point's colour (model) differs from its token's");
        const switches = /(\d+) switch(?:es)?\b/.exec(t.stats);
        if (switches) assert(Number(switches[1]) === t.marks.length, `the stats say ${switches[1]} switches, the timeline marks ${t.marks.length}`);
        const section = wv.locator("section.turn").last();
        const fold = section.locator("details.thinking:not([open]) > summary");
        if (await fold.count()) await fold.click();
        // An LLM token (the interesting ones), else the middle one.
        const i = Math.max(0, t.tokens.findIndex((x) => x[1] === "llm" && /\S/.test(x[0]))) || Math.floor(t.tokens.length / 2);
        const point = section.locator(`.tl-point[data-i="${i}"]`);
        await point.scrollIntoViewIfNeeded();
        // As a pointer arrives: over the plot first, then onto the point (a single jump from the fold's
        // summary, above a layout that the click just changed, left the plot without a pointermove).
        await section.locator(".tl-plot").hover({ force: true, position: { x: 1, y: 5 } });
        await point.hover({ force: true });
        const marked = await section.evaluate((s) => [...s.querySelectorAll(".tok.tok-hl")].map((e) => e.dataset.i));
        const readout = await section.locator(".tl-readout").innerText();
        assert(marked.length === 1 && marked[0] === String(i), `hovering point ${i} marked tokens ${JSON.stringify(marked)}; readout "${readout}"`);
        const j = t.tokens.findIndex((x, k) => k !== i && /\S/.test(x[0]));
        await section.locator(`.tok[data-i="${j}"]`).hover();
        const points = await section.evaluate((s) => [...s.querySelectorAll(".tl-point.hl")].map((e) => e.getAttribute("data-i")));
        assert(points.length === 1 && points[0] === String(j), `hovering token ${j} marked points ${JSON.stringify(points)}`);
        await point.hover({ force: true }); // leave the mark on the point for the screenshot
        // Numbered from 1 in the readout, as in the status line.
        assert(readout.startsWith(`token ${i + 1} of ${t.tokens.length} · `), `point ${i} reads "${readout}"`);
        return `${t.points} points, ${t.marks.length} switch marks; point ${i} → "${readout}", token ${j} → point ${j}`;
    })));
}

/** An element screenshot of the last turn (question, answer, timeline unfolded, stats). */
export async function shootTimeline(wv, dir, name) {
    await withChart(wv, () => wv.locator("section.turn").last().screenshot({ path: join(dir, name) }));
    console.log(`    screenshot test/e2e/screenshots/${name}`);
}

async function waitForFile(page, dir, pattern, timeout = 20_000, except = []) {
    const deadline = Date.now() + timeout;
    for (;;) {
        const hit = readdirSync(dir).find((f) => pattern.test(f) && !except.includes(f));
        if (hit) return join(dir, hit);
        if (Date.now() > deadline) throw new Error(`no ${pattern} in ${dir} (files: ${readdirSync(dir).join(", ")})`);
        await page.waitForTimeout(250);
    }
}

async function waitForTurns(page, wv, n, timeout = 30_000) {
    const deadline = Date.now() + timeout;
    for (;;) {
        const count = await wv.locator("section.turn").count().catch(() => 0);
        if (count >= n) return;
        if (Date.now() > deadline) throw new Error(`the view shows ${count} turns, want ${n}`);
        await page.waitForTimeout(250);
    }
}

/**
 * Export Trace… under the last answer (save dialog: Enter takes the suggested file in the workspace),
 * Open Trace… from the palette (open dialog: the file's path, Enter), then a window reload.
 */
export async function checkTraceRoundTrip(checks, page, wv, ws) {
    let file;
    let shown;
    // A failed step must not leave a dialog open over the steps after it.
    const closeDialog = async () => {
        if (await page.locator(QUICK_INPUT).isVisible().catch(() => false)) await page.keyboard.press("Escape");
    };
    const check = (name, fn) => checks.check(name, async () => {
        try {
            return await fn();
        } finally {
            await closeDialog();
        }
    });
    await check("Export Trace… under the answer writes a trace file equal to the turn the view shows", async () => {
        shown = await readTurn(wv);
        let trace;
        ({ file, trace } = await exportLastTurn(page, wv, ws));
        assert(trace.format === "rstitch-trace" && trace.version === 1, `format ${trace.format} v${trace.version}`);
        assert(JSON.stringify(trace.tokens.map((x) => [x.text, x.source])) === JSON.stringify(shown.tokens), "the file's tokens differ from the view's");
        assert(trace.tokens.every((x) => Number.isInteger(x.id) && x.entropy >= 0 && x.entropy <= 1), "a token without an id or an entropy in 0–1");
        assert(JSON.stringify(trace.switches.map((s) => s.index)) === JSON.stringify(shown.marks), `switches at ${trace.switches.map((s) => s.index)}, marks at ${shown.marks}`);
        assert(trace.stats.switches === trace.switches.length, `stats.switches ${trace.stats.switches}, ${trace.switches.length} switches`);
        return `${file.split("/").pop()}: ${trace.tokens.length} tokens, ${trace.switches.length} switches, answer ${JSON.stringify(trace.answer)}`;
    });

    await check("Open Trace… shows the file as a read-only turn with its timeline", async () => {
        assert(file && shown, "no exported trace");
        await openTraceFile(page, wv, file);
        const opened = await readTurn(wv);
        assert(/Opened from rstitch-trace-.*\.json/.test(opened.label), `the turn's label reads "${opened.label}"`);
        assert(JSON.stringify(opened.tokens) === JSON.stringify(shown.tokens), "the opened turn's tokens differ from the exported turn's");
        assert(opened.points === shown.points && JSON.stringify(opened.marks) === JSON.stringify(shown.marks), `${opened.points} points and ${opened.marks.length} marks, want ${shown.points} and ${shown.marks.length}`);
        return `"${opened.label}": ${opened.points} points, ${opened.marks.length} switch marks`;
    });

    // The chat view reloaded (Developer: Reload Webviews): a new page that draws every turn again
    // from what is stored (its saved state, then the host's conversation). Not Reload Window: in this
    // headless Chromium the reloaded window's webview once came without its script and style, and a
    // fresh browser context has no conversation (code-server keeps workspace state in the browser).
    await check("after Developer: Reload Webviews the timelines are drawn again from the stored turns", async () => {
        const before = await wv.locator("section.turn").count();
        const last = await readTurn(wv);
        await wv.locator("body").evaluate((b) => { b.dataset.beforeReload = "1"; });
        await runCommand(page, "Developer: Reload Webviews");
        // The old page is gone once the marker is.
        const gone = Date.now() + 30_000;
        while ((await wv.locator("body[data-before-reload]").count().catch(() => 1)) > 0) {
            if (Date.now() > gone) throw new Error("the chat view was not reloaded");
            await page.waitForTimeout(250);
        }
        await showChat(page);
        await waitForTurns(page, wv, before, 60_000);
        const deadline = Date.now() + 30_000;
        let after = await readTurn(wv);
        while (!(after?.points > 0) && Date.now() < deadline) {
            await page.waitForTimeout(250);
            after = await readTurn(wv);
        }
        assert(after.points === last.points && JSON.stringify(after.marks) === JSON.stringify(last.marks), `after the reload: ${after?.points} points, ${after?.marks.length} marks; before: ${last.points}, ${last.marks.length}`);
        return `${before} turns, the last with ${after.points} points and ${after.marks.length} marks`;
    });
}

/**
 * Export Trace… under the last turn: the save dialog's suggested file in the workspace `ws` (a new
 * one), Enter. Returns the file and what it holds.
 */
export async function exportLastTurn(page, wv, ws) {
    const before = readdirSync(ws);
    await wv.locator("section.turn").last().locator(".export-trace").click();
    const input = await fileDialog(page, "Export Trace");
    try {
        // The dialog fills in the folder first, then the suggested name.
        let suggested = "";
        for (let k = 0; k < 40 && !/rstitch-trace-[\d-]+\.json$/.test(suggested); k++) {
            await page.waitForTimeout(250);
            suggested = await input.inputValue();
        }
        assert(/rstitch-trace-[\d-]+\.json$/.test(suggested), `the save dialog suggests ${JSON.stringify(suggested)}`);
        assert(suggested.startsWith(ws), `the save dialog suggests ${suggested}, not a file in the workspace ${ws}`);
        await page.keyboard.press("Enter");
    } catch (e) {
        await page.keyboard.press("Escape");
        throw e;
    }
    const file = await waitForFile(page, ws, /^rstitch-trace-.*\.json$/, 20_000, before);
    // The file is written once the dialog closes; give the write a moment to complete.
    let trace;
    for (let k = 0; k < 20 && !trace; k++) {
        try { trace = JSON.parse(readFileSync(file, "utf8")); } catch { await page.waitForTimeout(250); }
    }
    assert(trace, `${file} is not JSON`);
    return { file, trace };
}

/** Open Trace… from the palette, the file's path typed into the open dialog; waits for its turn in the chat. */
export async function openTraceFile(page, wv, file) {
    const before = await wv.locator("section.turn").count();
    await runCommand(page, "Open Trace…");
    const input = await fileDialog(page, "Open Trace");
    await input.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.type(file);
    await page.waitForTimeout(500);
    await page.keyboard.press("Enter");
    // The first Enter may only take the dialog's completion of the typed path.
    if (!(await page.locator(QUICK_INPUT).waitFor({ state: "hidden", timeout: 5000 }).then(() => true, () => false))) {
        await page.keyboard.press("Enter");
        await page.locator(QUICK_INPUT).waitFor({ state: "hidden" });
    }
    await showChat(page);
    await waitForTurns(page, wv, before + 1);
}

/** Waits for the editor's file dialog titled `title` to show its path; returns its input. */
async function fileDialog(page, title, timeout = 30_000) {
    await page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: title }).waitFor({ state: "visible", timeout });
    const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
    const deadline = Date.now() + timeout;
    while (!(await input.inputValue()).startsWith("/")) {
        if (Date.now() > deadline) throw new Error(`the ${title} dialog shows no path`);
        await page.waitForTimeout(100);
    }
    return input;
}

/** The timeline in each high-contrast theme: screenshots, and the points still one per token. */
export async function timelineInHighContrast(checks, page, wv, dir) {
    for (const [theme, file, cls] of [["Dark High Contrast", "hc-dark-timeline.png", "vscode-high-contrast"], ["Light High Contrast", "hc-light-timeline.png", "vscode-high-contrast-light"]]) {
        await checks.check(`the timeline in ${theme}`, async () => {
            await setColorTheme(page, theme);
            const deadline = Date.now() + 15_000;
            while (!(await wv.locator("body").evaluate((b, c) => b.classList.contains(c), cls))) {
                if (Date.now() > deadline) throw new Error(`the webview body never got the ${cls} class`);
                await page.waitForTimeout(250);
            }
            const t = await readTurn(wv);
            assert(t?.timelineShown && t.points === t.tokens.length, `${t?.points} points for ${t?.tokens.length} tokens`);
            // Theme colours reach the SVG: the SLM and LLM fills differ, and τ's line is drawn.
            const look = await wv.locator("section.turn").last().evaluate((s) => {
                const fill = (sel) => { const e = s.querySelector(sel); return e ? getComputedStyle(e).fill : "none"; };
                return { slm: fill(".tl-point.slm"), llm: fill(".tl-point.llm"), tau: getComputedStyle(s.querySelector(".tl-tau")).stroke };
            });
            assert(look.tau !== "none" && look.tau !== "", `τ line stroke ${look.tau}`);
            if (t.tokens.some((x) => x[1] === "llm") && t.tokens.some((x) => x[1] === "slm")) assert(look.slm !== look.llm, `SLM and LLM points share the fill ${look.slm}`);
            await shootTimeline(wv, dir, file);
            return `${t.points} points; SLM ${look.slm}, LLM ${look.llm}, τ ${look.tau}`;
        });
    }
}
