// Phase B: a reasoning model's markdown answer as the chat renders it, in six themes. The test writes
// a trace file (a Qwen-style answer: <think>…</think>, then a reply with a heading, a list, inline
// code, a Python code block, a table and formulas, tokens from both models), opens it through Open
// Trace… (the rendering path of a live answer), and in each theme checks what the screenshot shows:
// the code highlighted, the table's cells, the formulas typeset, both models' colours present and
// readable at ≥ 4.5:1 against what is behind them. Screenshots: test/e2e/screenshots/<theme>-markdown.png.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { textContrast } from "./editor-a11y.mjs";
import { assert } from "./lib/checks.mjs";
import { setColorTheme } from "./lib/workbench.mjs";
import { openTraceFile } from "./trace-ui-checks.mjs";
import { activeIn, focusControl, readTurnLayout } from "./turn-layout-checks.mjs";
import { AA, THEMES } from "./lib/themes.mjs";

const THRESHOLD = 0.3;

const OUTPUT = [
    "<think>\n",
    "The sum of the first n squares has a closed form: $\\sum_{k=1}^{n} k^2 = \\frac{n(n+1)(2n+1)}{6}$. ",
    "For n = 3 that is 1 + 4 + 9 = 14.\n",
    "</think>\n\n",
    "## Sum of squares\n\n",
    "The function below uses the closed form:\n\n",
    "- it runs in `O(1)` time\n",
    "- it refuses a negative `n`\n\n",
    "```python\n",
    "def sum_squares(n: int) -> int:\n",
    "    if n < 0:\n",
    "        raise ValueError(\"n must be >= 0\")\n",
    "    return n * (n + 1) * (2 * n + 1) // 6\n",
    "```\n\n",
    "| n | sum |\n",
    "|---|-----|\n",
    "| 3 | 14 |\n",
    "| 10 | 385 |\n\n",
    "The formula is $\\frac{n(n+1)(2n+1)}{6}$, so for $n = 3$ the answer is \\boxed{14}.",
].join("");

/** The output cut into word-sized tokens, in runs of five SLM then three LLM tokens, with their switches. */
export function markdownTrace() {
    const pieces = OUTPUT.match(/\s*\S{1,6}|\s+/g);
    const tokens = [];
    const switches = [];
    pieces.forEach((text, i) => {
        const source = i % 8 < 5 ? "slm" : "llm";
        const previous = tokens[i - 1]?.source;
        if (previous && previous !== source) {
            switches.push({ index: i, from: previous, to: source, entropy: source === "llm" ? 0.62 : 0.12 });
        }
        // The SLM's entropy is above τ where it hands over, the LLM's at or below τ where it hands back.
        const entropy = source === "slm" ? (i % 8 === 4 ? 0.62 : 0.08) : (i % 8 === 7 ? 0.12 : 0.35);
        tokens.push({ id: 100 + i, text, source, entropy });
    });
    const llm = tokens.filter((t) => t.source === "llm").length;
    const n = tokens.length;
    return {
        format: "rstitch-trace",
        version: 1,
        prompt: "Write a Python function for the sum of the first n squares, and give it for n = 3.",
        models: "qwen-slm + qwen-llm",
        mode: "stitch",
        threshold: THRESHOLD,
        budget: 512,
        tokens,
        switches,
        stats: {
            mode: "stitch",
            threshold: THRESHOLD,
            slm: { tokens: n - llm, prefillTokens: 40, wallMs: 120, calls: n - llm },
            llm: { tokens: llm, prefillTokens: 60, wallMs: 300, calls: llm },
            totalTokens: n,
            switches: switches.length,
            discardedSlmTokens: 0,
            llmShare: llm / n,
            wallMs: 420,
            tokensPerSecond: (1000 * n) / 420,
        },
        answer: "14",
        stopReason: "eog",
    };
}

/** What the rendered turn shows: code highlighting, the table, the formulas, the models' colours. */
function readRendered(wv) {
    return wv.locator("section.turn").last().evaluate((s) => {
        const answer = s.querySelector(".answer .md");
        const thinking = s.querySelector(".trace[data-view=rendered]");
        const prose = (cls) => [...(answer?.querySelectorAll(`.tok.${cls}`) ?? [])].filter((t) => !t.closest(".md-code-text, .md-math") && t.textContent.trim());
        return {
            rendered: Boolean(answer),
            rawTags: /<\/?think>/.test(s.innerText),
            heading: answer?.querySelector("h1, h2, h3")?.textContent ?? "",
            listItems: answer?.querySelectorAll("li").length ?? 0,
            inlineCode: [...(answer?.querySelectorAll(".md-icode") ?? [])].map((c) => c.textContent),
            codeLang: answer?.querySelector(".md-code .md-code-lang")?.textContent ?? "",
            highlighted: [...(answer?.querySelectorAll(".md-code-text .tok[class*='hl-']") ?? [])].map((t) => [...t.classList].find((c) => c.startsWith("hl-"))),
            keywords: [...(answer?.querySelectorAll(".md-code-text .hl-keyword") ?? [])].map((t) => t.textContent.trim()).filter(Boolean),
            codeSources: [...new Set([...(answer?.querySelectorAll(".md-code-text .tok") ?? [])].map((t) => (t.classList.contains("llm") ? "llm" : "slm")))],
            // In code the highlighting colours the text; the model is the underline: its style and colour.
            codeMarks: Object.fromEntries(["slm", "llm"].map((cls) => [cls, [...new Set([...(answer?.querySelectorAll(`.md-code-text .tok.${cls}`) ?? [])]
                .filter((t) => t.textContent.trim()).map((t) => { const cs = getComputedStyle(t); return `${cs.textDecorationLine} ${cs.textDecorationStyle} ${cs.textDecorationColor}`; }))]])),
            head: [...(answer?.querySelectorAll("table th") ?? [])].map((c) => c.textContent.trim()),
            rows: [...(answer?.querySelectorAll("table tbody tr") ?? [])].map((r) => [...r.cells].map((c) => c.textContent.trim())),
            tableSources: [...new Set([...(answer?.querySelectorAll("table .tok") ?? [])].map((t) => (t.classList.contains("llm") ? "llm" : "slm")))],
            math: [...(answer?.querySelectorAll(".md-math") ?? [])].map((m) => ({ typeset: Boolean(m.querySelector(".katex")), mark: ["slm", "llm", "both"].find((c) => m.classList.contains(c)) })),
            thinkingMath: thinking?.querySelectorAll(".md-math .katex").length ?? 0,
            slmColors: [...new Set(prose("slm").map((t) => getComputedStyle(t).color))],
            llmColors: [...new Set(prose("llm").map((t) => getComputedStyle(t).color))],
            legend: { slm: getComputedStyle(document.querySelector(".legend .sample.slm")).color, llm: getComputedStyle(document.querySelector(".legend .sample.llm")).color },
        };
    });
}

export async function markdownTurnChecks(checks, { page, wv, ws, dir }) {
    const file = join(ws, "qwen-markdown-trace.json");
    writeFileSync(file, JSON.stringify(markdownTrace(), null, 1));
    const opened = await checks.check("Open Trace… shows a reasoning model's markdown answer rendered: thinking once, no think tags", async () => {
        await openTraceFile(page, wv, file);
        // Named for the contrast selectors below; removed once they have run.
        await wv.locator("section.turn").last().evaluate((s) => { s.dataset.markdownTurn = ""; });
        const r = await readRendered(wv);
        assert(r.rendered, "no rendered answer");
        assert(!r.rawTags, "the turn shows <think> tags");
        assert(r.heading === "Sum of squares", `heading "${r.heading}"`);
        assert(r.listItems === 2 && JSON.stringify(r.inlineCode) === JSON.stringify(["O(1)", "n"]), `${r.listItems} list items, inline code ${JSON.stringify(r.inlineCode)}`);
        assert(r.thinkingMath === 1, `${r.thinkingMath} typeset formulas in the thinking`);
        return `"${r.heading}", ${r.listItems} list items, inline code ${JSON.stringify(r.inlineCode)}, a typeset formula in the thinking`;
    });
    if (!opened) return;
    const figures = [];
    for (const theme of THEMES) {
        await checks.check(`${theme.label}: the markdown answer shows highlighted code, the table, typeset math, both models' colours at ≥ ${AA}:1`, async () => {
            await setColorTheme(page, theme.label);
            const deadline = Date.now() + 15_000;
            while ((await wv.locator("body").evaluate((b) => b.dataset.vscodeThemeName)) !== theme.label) {
                if (Date.now() > deadline) throw new Error(`the chat never took the theme ${theme.label}`);
                await page.waitForTimeout(150);
            }
            await page.waitForTimeout(300); // the theme's colours settle (CSS variables, then repaint)
            const section = wv.locator("section.turn").last();
            // Its top at the top of the chat (below the view's header bar, which would cover it).
            await section.evaluate((s) => s.scrollIntoView({ block: "start" }));
            await section.screenshot({ path: join(dir, `${theme.file}-markdown.png`) });
            console.log(`    screenshot test/e2e/screenshots/${theme.file}-markdown.png`);
            const r = await readRendered(wv);
            const c = await textContrast(page, wv, {
                slm: "[data-markdown-turn] .answer .md-p .tok.slm",
                llm: "[data-markdown-turn] .answer .md-p .tok.llm",
                icodeSlm: "[data-markdown-turn] .answer .md-icode .tok.slm",
                icodeLlm: "[data-markdown-turn] .answer .md-icode .tok.llm",
                thinkingSlm: "[data-markdown-turn] .trace .tok.slm",
                thinkingLlm: "[data-markdown-turn] .trace .tok.llm",
            });
            const line = Object.entries(c).filter(([, v]) => v).map(([k, v]) => `${k} ${v.color} ${v.ratio.toFixed(2)}:1 on ${v.on}`).join(", ");
            console.log(`    ${theme.label}: ${line}`);
            figures.push(`${theme.label}: ${line}`);
            assert(r.codeLang === "python" && r.keywords.includes("def") && r.keywords.includes("return"), `code block "${r.codeLang}", keywords ${JSON.stringify(r.keywords)}`);
            assert(new Set(r.highlighted).size >= 3, `highlight classes ${JSON.stringify([...new Set(r.highlighted)])}`);
            assert(r.codeSources.length === 2, `the code block's tokens come from ${JSON.stringify(r.codeSources)}`);
            // Both models told apart inside the code block, where the text has the highlighting's colours.
            const [slmMark, llmMark] = [r.codeMarks.slm, r.codeMarks.llm];
            assert(slmMark.length === 1 && llmMark.length === 1 && slmMark[0] === `underline dotted ${r.legend.slm}` && llmMark[0] === `underline solid ${r.legend.llm}`,
                `code underlines: SLM ${JSON.stringify(slmMark)}, LLM ${JSON.stringify(llmMark)}; legend ${JSON.stringify(r.legend)}`);
            assert(JSON.stringify(r.head) === JSON.stringify(["n", "sum"]) && JSON.stringify(r.rows) === JSON.stringify([["3", "14"], ["10", "385"]]), `table ${JSON.stringify([r.head, ...r.rows])}`);
            assert(r.tableSources.length === 2, `the table's tokens come from ${JSON.stringify(r.tableSources)}`);
            assert(r.math.length === 3 && r.math.every((m) => m.typeset && m.mark), `formulas ${JSON.stringify(r.math)}`);
            assert(r.slmColors.length === 1 && r.llmColors.length === 1 && r.slmColors[0] !== r.llmColors[0], `SLM colours ${r.slmColors}, LLM colours ${r.llmColors}`);
            assert(r.slmColors[0] === r.legend.slm && r.llmColors[0] === r.legend.llm, `the text's colours ${[r.slmColors[0], r.llmColors[0]]} are not the legend's ${[r.legend.slm, r.legend.llm]}`);
            const low = Object.entries(c).filter(([, v]) => !v || v.ratio < AA).map(([k]) => k);
            assert(low.length === 0, `below ${AA}:1 or missing: ${low.join(", ")} — ${line}`);
            return `${new Set(r.highlighted).size} highlight classes; code underlined SLM dotted, LLM solid; table ${r.rows.length} rows, ${r.math.length} formulas (${r.math.map((m) => m.mark).join(", ")}); ${line}`;
        });
    }
    await checks.check("the turn fits the side bar: no sideways scrollbar but the code's own, nothing wrapped, icon buttons with names, status line whole", async () => {
        const section = wv.locator("section.turn").last();
        const fold = section.locator("details.thinking:not([open]) > summary");
        if (await fold.count()) await fold.click();
        // The longest status line: an LLM token's, with the hand-over that began its span.
        await section.locator(".answer .md-p .tok.llm").first().hover();
        const r = await section.evaluate((s) => {
            const line = (els) => {
                // On one line their middles meet (a wrapped one sits a whole row lower).
                const mids = els.filter((e) => !e.hidden && e.getBoundingClientRect().height > 0).map((e) => { const b = e.getBoundingClientRect(); return (b.top + b.bottom) / 2; });
                return { n: mids.length, spread: Math.max(...mids) - Math.min(...mids) };
            };
            const buttons = [...s.querySelectorAll(".actions vscode-button, .md-code-bar vscode-button")];
            const status = s.querySelector(".trace-status");
            return {
                width: Math.round(document.body.clientWidth),
                overflow: s.scrollWidth - s.clientWidth,
                foot: line([...s.querySelector(".turn-foot").children]),
                bar: line([...s.querySelector(".md-code-bar").children]),
                unnamed: buttons.filter((b) => !b.getAttribute("aria-label") || !b.title || !b.querySelector("svg")).map((b) => b.className),
                buttons: buttons.map((b) => b.title),
                statsTitle: s.querySelector(".stats-toggle").title,
                statsText: s.querySelector(".stats").textContent,
                status: { text: status.textContent, cut: status.scrollWidth > status.clientWidth || status.scrollHeight > status.clientHeight, hidden: status.hidden },
            };
        });
        // Code lines are not re-wrapped: a code block (and a wide table or formula) scrolls on its own.
        const lay = await readTurnLayout(section, ".md-pre, .md-table-wrap, .md-math");
        await section.screenshot({ path: join(dir, "light-modern-markdown-status.png") });
        assert(r.overflow <= 0, `the turn is ${r.overflow} px wider than the side bar (${r.width} px)`);
        assert(lay.scrollers.length === 0, `sideways scrollbars on ${lay.scrollers.join(", ")}`);
        assert(lay.head.n === 2 && lay.head.spread <= 4 && !lay.timelineOpen, `the timeline is not one folded row: ${JSON.stringify({ head: lay.head, open: lay.timelineOpen })}`);
        assert(lay.summaryOneLine && lay.statsOneLine, `wrapped: thinking header ${!lay.summaryOneLine}, stats ${!lay.statsOneLine}`);
        assert(r.foot.n === 2 && r.foot.spread <= 4, `stats and actions are not on one line: ${JSON.stringify(r.foot)}`);
        assert(r.bar.n === 5 && r.bar.spread <= 4, `the code bar wraps: ${JSON.stringify(r.bar)}`);
        assert(r.unnamed.length === 0, `icon buttons without a name, tooltip or icon: ${r.unnamed.join(", ")}`);
        assert(r.statsTitle === r.statsText && /LLM share/.test(r.statsTitle), `the stats' title ${JSON.stringify(r.statsTitle)} is not the whole line ${JSON.stringify(r.statsText)}`);
        assert(!r.status.hidden && /handed over/.test(r.status.text) && !r.status.cut, `status line ${JSON.stringify(r.status)}`);
        return `${r.width} px side bar, turn ${lay.height} px tall: one line of stats and ${r.foot.n - 1} action group, the timeline one folded row, code bar of ${r.bar.n - 1} icon buttons (${r.buttons.join(" | ")}); status "${r.status.text}" uncut`;
    });

    await checks.check("by keyboard: the timeline's toggle unfolds and folds the chart, the stats line opens and closes its details", async () => {
        const section = wv.locator("section.turn").last();
        const body = wv.locator("body");
        await focusControl(page.keyboard, body, section, "tl-toggle");
        await page.keyboard.press("Enter");
        const unfolded = await readTurnLayout(section);
        await page.keyboard.press("Enter");
        const folded = await readTurnLayout(section);
        await focusControl(page.keyboard, body, section, "stats-toggle");
        await page.keyboard.press("Enter");
        const details = await readTurnLayout(section);
        await section.screenshot({ path: join(dir, "light-modern-stats-details.png") });
        await page.keyboard.press("Enter");
        const closed = await readTurnLayout(section);
        assert(unfolded.timelineOpen && unfolded.toggleExpanded === "true", `Enter on the toggle: open ${unfolded.timelineOpen}, aria-expanded ${unfolded.toggleExpanded}`);
        assert(!folded.timelineOpen && folded.toggleExpanded === "false", `Enter again: open ${folded.timelineOpen}`);
        assert(details.detailsShown && details.statsExpanded === "true" && details.detailsRole === "region" && /Tokens written by each model/.test(details.detailsText),
            `Enter on the stats: ${JSON.stringify({ shown: details.detailsShown, expanded: details.statsExpanded, text: details.detailsText.slice(0, 80) })}`);
        assert(!closed.detailsShown && closed.statsExpanded === "false", "Enter again left the details open");
        assert((await activeIn(body)).includes("stats-toggle"), "the focus left the stats line");
        return `timeline ${folded.height} → ${unfolded.height} px and back; details "${details.detailsText.split("\n")[0]}" …`;
    });

    await checks.check("with Thinking folded, hovering an answer token shows the status line (it is not inside the fold)", async () => {
        const section = wv.locator("section.turn").last();
        const open = section.locator("details.thinking[open] > summary");
        if (await open.count()) await open.click();
        await section.locator(".answer .md-p .tok.llm").first().hover();
        const r = await readTurnLayout(section);
        assert(r.thinkingOpen === false, "the thinking did not fold");
        assert(r.status.shown && !r.status.inThinking && /^token \d+ of \d+ · LLM/.test(r.status.text) && !r.status.cut, `status line ${JSON.stringify(r.status)}`);
        await section.screenshot({ path: join(dir, "light-modern-markdown-folded-status.png") });
        return `"${r.status.text}"`;
    });

    await checks.check("the keyboard cursor and the timeline's mark look different (one focus indicator each)", async () => {
        const look = await wv.locator("section.turn").last().evaluate((s) => {
            const [a, b] = [...s.querySelectorAll(".answer .tok")].filter((t) => t.textContent.trim());
            a.classList.add("cursor");
            b.classList.add("tok-hl");
            const style = (e) => { const cs = getComputedStyle(e); return `${cs.outlineStyle} ${cs.outlineWidth}`; };
            const out = { cursor: style(a), mark: style(b) };
            b.classList.add("cursor");
            out.both = style(b);
            a.classList.remove("cursor");
            b.classList.remove("cursor", "tok-hl");
            return out;
        });
        assert(look.cursor !== look.mark && !/none/.test(look.cursor) && !/none/.test(look.mark), `cursor "${look.cursor}", timeline mark "${look.mark}"`);
        assert(look.both === look.cursor, `a token that is both shows "${look.both}", not the cursor's "${look.cursor}"`);
        return `cursor ${look.cursor}, timeline mark ${look.mark}; on one token the cursor's`;
    });

    await wv.locator("section.turn").last().evaluate((s) => { delete s.dataset.markdownTurn; }).catch(() => {});
    return figures;
}
