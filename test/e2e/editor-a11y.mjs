// Phase B, keyboard and attribution in the real editor: the focus keybinding and VS Code's own
// "Focus on Chat View" land in the question box with nothing typed lost; an LLM token's hover names
// the SLM entropy that handed it over; in Light and Dark 2026, Light and Dark Modern and both High Contrast themes the
// SLM and LLM token colours read at ≥ 4.5:1 against what is behind them (WCAG AA), the legend looks
// like the tokens, axe-core finds no moderate or worse violation, and a screenshot of the chat is saved.
import { assert } from "./lib/checks.mjs";
import { describeViolations, runAxe } from "./lib/axe.mjs";
import { contrastRatio, flatten, hex, parseColor } from "./lib/contrast.mjs";
import { runCommand, setColorTheme } from "./lib/workbench.mjs";
import { AA, THEMES } from "./lib/themes.mjs";


/**
 * The colour and contrast (against everything painted behind it, down to the side bar) of the first
 * element with text that each selector finds in the chat view: { name: { color, ratio, on } }.
 */
export async function textContrast(page, wv, selectors) {
    const behind = await page.locator(".part.sidebar").evaluate((e) => {
        const layers = [];
        for (let n = e; n; n = n.parentElement) layers.push(getComputedStyle(n).backgroundColor);
        return layers;
    });
    const seen = await wv.locator("body").evaluate((_, selectors) => Object.fromEntries(Object.entries(selectors).map(([name, sel]) => {
        const el = [...document.querySelectorAll(sel)].find((e) => e.textContent.trim());
        if (!el) return [name, undefined];
        const layers = [];
        for (let n = el; n; n = n.parentElement) layers.push(getComputedStyle(n).backgroundColor);
        return [name, { color: getComputedStyle(el).color, layers }];
    })), selectors);
    const base = flatten(behind.map(parseColor).concat([parseColor("#ffffff")]));
    return Object.fromEntries(Object.entries(seen).map(([name, r]) => {
        if (!r) return [name, undefined];
        const on = flatten(r.layers.map(parseColor).concat([base]));
        return [name, { color: hex(parseColor(r.color)), ratio: contrastRatio(parseColor(r.color), on), on: hex(on) }];
    }));
}

/** The chat view's own document (the webview's innermost frame), for axe. */
async function chatFrame(page) {
    for (const f of page.frames()) if (await f.$("#prompt").catch(() => null)) return f;
    throw new Error("no frame holds the chat view");
}

async function waitFor(page, what, fn, timeout = 15_000) {
    const deadline = Date.now() + timeout;
    for (;;) {
        const v = await fn();
        if (v.ok) return v;
        if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify(v)}`);
        await page.waitForTimeout(150);
    }
}

/** Ctrl+1: the keyboard goes to the editor, away from the chat. */
async function focusEditor(page) {
    await page.keyboard.press("Control+1");
    await waitFor(page, "the editor never took the focus", async () => ({ ok: await page.evaluate(() => Boolean(document.activeElement?.closest(".monaco-editor"))) }));
}

const focusInChat = (wv) => wv.locator("body").evaluate(() => (document.activeElement === document.body ? "body" : document.activeElement?.id || document.activeElement?.localName || "none"));

export async function editorA11yChecks(checks, { page, wv, shot }) {
    await checks.check("an LLM token's hover names the SLM entropy that handed it over (H above τ)", async () => {
        const titles = await wv.locator(".trace .tok.llm, .answer-stream .tok.llm").evaluateAll((els) => els.map((e) => e.title));
        assert(titles.length > 0, "no LLM token");
        const parsed = titles.map((t) => /the SLM handed over at H = (\d\.\d+) > τ = (\d\.\d+)$/.exec(t));
        const missing = titles.filter((_, i) => !parsed[i]);
        assert(missing.length === 0, `${missing.length} of ${titles.length} LLM tokens do not say why: ${JSON.stringify(missing.slice(0, 3))}`);
        const wrong = parsed.filter((m) => !(Number(m[1]) > Number(m[2])));
        assert(wrong.length === 0, `hand-over entropy not above τ: ${wrong.map((m) => m[0]).slice(0, 3).join("; ")}`);
        const spans = new Set(parsed.map((m) => m[1]));
        return `${titles.length} LLM tokens, e.g. "${titles[0]}" (${spans.size} distinct hand-over entropies)`;
    });

    await checks.check("ctrl+alt+j from the editor puts the keyboard in the chat's question box; typing goes there", async () => {
        await focusEditor(page);
        await page.keyboard.press("Control+Alt+j");
        await waitFor(page, "the question box never got the focus", async () => ({ ok: (await focusInChat(wv)) === "prompt", at: await focusInChat(wv) }));
        await page.keyboard.type("abc 123");
        const value = await wv.locator("#prompt").inputValue();
        await wv.locator("#prompt").fill("");
        assert(value === "abc 123", `the box holds ${JSON.stringify(value)}`);
        return `typed "${value}" into the box`;
    });

    await checks.check("VS Code's \"Focus on Chat View\" lands in the question box, not the page body", async () => {
        await focusEditor(page);
        await runCommand(page, "R-Stitch: Focus on Chat View");
        await waitFor(page, "the question box never got the focus", async () => {
            const at = await focusInChat(wv);
            // Where the keyboard is, for a failure: the view's document, and the workbench's focused element.
            const viewHasFocus = await wv.locator("body").evaluate(() => document.hasFocus());
            const workbench = await page.evaluate(() => document.activeElement?.className?.toString().slice(0, 80) ?? "none");
            return { ok: at === "prompt", at, viewHasFocus, workbench };
        });
        await page.keyboard.type("What is 2 + 2?");
        const value = await wv.locator("#prompt").inputValue();
        await wv.locator("#prompt").fill("");
        assert(value === "What is 2 + 2?", `the box holds ${JSON.stringify(value)}`);
        return `typed "${value}" into the box`;
    });

    const figures = [];
    for (const theme of THEMES) {
        await checks.check(`${theme.label}: SLM and LLM tokens read at ≥ ${AA}:1, the legend looks like them, axe-core finds nothing moderate or worse`, async () => {
            await setColorTheme(page, theme.label);
            await waitFor(page, "the chat never took the theme", async () => {
                const name = await wv.locator("body").evaluate((b) => b.dataset.vscodeThemeName);
                return { ok: name === theme.label, name };
            });
            // The tokens are in the thinking, folded after the answer: open it to measure and show them.
            const fold = wv.locator("details.thinking:not([open]) > summary").last();
            if (await fold.count()) await fold.click();
            await page.waitForTimeout(300); // the theme's colours settle (CSS variables, then repaint)
            const behind = await page.locator(".part.sidebar").evaluate((e) => {
                const layers = [];
                for (let n = e; n; n = n.parentElement) layers.push(getComputedStyle(n).backgroundColor);
                return layers;
            });
            const seen = await wv.locator("body").evaluate(() => {
                const read = (el) => {
                    const layers = [];
                    for (let n = el; n; n = n.parentElement) layers.push(getComputedStyle(n).backgroundColor);
                    const cs = getComputedStyle(el);
                    return { color: cs.color, layers, decoration: `${cs.textDecorationLine} ${cs.textDecorationStyle} ${cs.textDecorationColor} ${cs.textDecorationThickness}` };
                };
                const tok = (cls) => [...document.querySelectorAll(`.trace .tok.${cls}`)].find((e) => e.textContent.trim());
                return {
                    slm: read(tok("slm")), llm: read(tok("llm")),
                    legendSlm: read(document.querySelector(".legend .sample.slm")), legendLlm: read(document.querySelector(".legend .sample.llm")),
                };
            });
            const base = flatten(behind.map(parseColor).concat([parseColor("#ffffff")]));
            const ratio = (r) => contrastRatio(parseColor(r.color), flatten(r.layers.map(parseColor).concat([base])));
            const r = { slm: ratio(seen.slm), llm: ratio(seen.llm), legendSlm: ratio(seen.legendSlm), legendLlm: ratio(seen.legendLlm) };
            const bg = hex(flatten(seen.llm.layers.map(parseColor).concat([base])));
            const line = `SLM ${hex(parseColor(seen.slm.color))} ${r.slm.toFixed(2)}:1, LLM ${hex(parseColor(seen.llm.color))} ${r.llm.toFixed(2)}:1 on ${bg}`;
            await page.locator(".part.sidebar").screenshot({ path: shot(`chat-${theme.file}.png`) });
            console.log(`    screenshot test/e2e/screenshots/chat-${theme.file}.png`);
            const frame = await chatFrame(page);
            const axe = await runAxe(frame);
            console.log(`    ${theme.label}: ${line}; axe-core ${axe.summary}${axe.violations.length ? ` — ${describeViolations(axe.violations)}` : ""}`);
            figures.push(`${theme.label}: ${line}`);
            assert(r.slm >= AA && r.llm >= AA, `below ${AA}:1 — ${line}`);
            assert(seen.slm.color !== seen.llm.color, `SLM and LLM tokens share the colour ${seen.slm.color}`);
            assert(seen.legendSlm.color === seen.slm.color && seen.legendLlm.color === seen.llm.color && seen.legendLlm.decoration === seen.llm.decoration,
                `the legend is drawn unlike the tokens: ${JSON.stringify({ slm: [seen.slm.color, seen.legendSlm.color], llm: [seen.llm.color, seen.legendLlm.color, seen.llm.decoration, seen.legendLlm.decoration] })}`);
            assert(/underline/.test(seen.llm.decoration) && !/underline/.test(seen.slm.decoration), `not colour alone: LLM "${seen.llm.decoration}", SLM "${seen.slm.decoration}"`);
            // The issue's bar is no serious violation; moderate ones (a missing heading) are held at 0 too.
            assert(axe.severe.length === 0 && axe.counts.moderate === 0, describeViolations(axe.violations));
            return `${line}; axe ${axe.summary}`;
        });
    }
    return figures;
}
