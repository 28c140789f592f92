// Phase B: the packaged extension (.vsix) installed into a clean code-server, used as a person would:
// command palette, input box, the sidebar chat streaming coloured tokens, hover, Stop, the Settings
// editor and the colour theme. No smoke-test driver here (with it, globalState writes from palette
// commands hang).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { editorEnv } from "../../packaging/editor-env.mjs";
import { chatListChecks } from "./chat-list-checks.mjs";
import { editorA11yChecks } from "./editor-a11y.mjs";
import { markdownTurnChecks } from "./markdown-turn-checks.mjs";
import { launchChromium } from "./lib/browser.mjs";
import { assert, Checks } from "./lib/checks.mjs";
import { installVsix, startCodeServer } from "./lib/code-server.mjs";
import { keepOrRemove, makeWorkspace, quietSettings, readUserSettings, repoRoot, scratchDir, seconds, writeUserSettings } from "./lib/scratch.mjs";
import {
    answerInputBox, chatWebview, clearChat, closeSettings, followAnswer, llmSharePercent, openFile, paletteRows, readChat,
    editSettings, readSettingRow, runCommand, searchSettings, selectLines, setColorTheme, showChat, waitForWorkbench,
} from "./lib/workbench.mjs";
import { checkTimeline, checkTraceRoundTrip, exportLastTurn, shootTimeline, timelineInHighContrast } from "./trace-ui-checks.mjs";
import { countsDisagree, readCounts, readTurnLayout } from "./turn-layout-checks.mjs";

const ANSWER_TIMEOUT_MS = Number(process.env.RSTITCH_E2E_ANSWER_TIMEOUT_MS ?? 5 * 60_000);
// One the demo pair answers with both models at the default τ (a sum this easy, the SLM writes alone).
const PROBLEM = process.env.RSTITCH_E2E_PROBLEM ?? "What is 47 * 36?";
const SCREENSHOTS = join(repoRoot, "test/e2e/screenshots");
// A bounded answer length keeps the phase bounded on a slow, shared machine.
const BUDGET = Number(process.env.RSTITCH_E2E_BUDGET ?? 128);
// The slow pair (make-slow-pair.ts): a budget it cannot finish before Stop, looks of growing counts first.
const SLOW_BUDGET = 4096;
const SLOW_CONTEXT = 8192;
const FORMER_KEY = "rstitch.llmServerTimeout";
const FORMER_VALUE = 90;
/** Each setting's title as the Settings editor paints it in a search (category "Rstitch: " before it). */
const TITLES = {
    "rstitch.entropyThreshold": "Entropy Threshold",
    "rstitch.routing": "Routing",
    "rstitch.LLMShare": "LLM Share",
    "rstitch.tokenBudget": "Token Budget",
    "rstitch.mode": "Mode",
    "rstitch.SLMModelPath": "SLM Model Path",
    "rstitch.LLMModelPath": "LLM Model Path",
    "rstitch.temperature": "Temperature",
    "rstitch.contextSize": "Context Size",
    "rstitch.threads": "Threads",
    "rstitch.GPULayers": "GPU Layers",
    "rstitch.LLMServerURL": "LLM Server URL",
    "rstitch.LLMServerTimeout": "LLM Server Timeout",
    "rstitch.LLMServerAPI": "LLM Server API",
};
const SLOW_THRESHOLD = 0.15; // not the default: VS Code drops a key set to its default from settings.json
const STREAM_LOOKS = 4;
const LIGHT = "Default Light Modern"; // settings id; the theme picker labels it "Light Modern"
const DARK = "Dark Modern";

/** Waits until the user settings file holds every given value (the Settings editor saves it). */
async function settingsSaved(page, scratch, expected, timeout = 15_000) {
    const deadline = Date.now() + timeout;
    for (;;) {
        // VS Code writes settings.json in place: a read that meets it half written is "not yet".
        let now = {};
        try { now = readUserSettings(scratch); } catch { /* half written */ }
        const missing = Object.entries(expected).filter(([k, v]) => now[k] !== v);
        if (missing.length === 0) return;
        if (Date.now() > deadline) throw new Error(`settings.json lacks ${missing.map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(", ")}`);
        await page.waitForTimeout(250);
    }
}

/** Writes (once; cached in the repo's ignored .cache, never /tmp) the slow pair with the project's own GGUF writer. */
function makeSlowPair() {
    const dir = join(repoRoot, ".cache", "test-fixtures", "e2e-slow-pair-v3");
    execFileSync(process.execPath, ["--import", "tsx", join(repoRoot, "test/e2e/make-slow-pair.ts"), dir],
        { cwd: repoRoot, stdio: "inherit", timeout: 300_000 });
    return { slm: join(dir, "slow-slm.gguf"), llm: join(dir, "slow-llm.gguf") };
}

function vsixPath() {
    if (process.env.RSTITCH_E2E_VSIX) return process.env.RSTITCH_E2E_VSIX;
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
    return join(repoRoot, "dist", `${pkg.name}-${pkg.version}.vsix`);
}

export async function phaseB() {
    const checks = new Checks("B");
    const vsix = vsixPath();
    console.log(`Phase B — ${vsix} installed in a clean code-server, driven through the UI`);
    if (!existsSync(vsix)) {
        checks.fail("the .vsix exists", `${vsix} not found (run npm run package)`);
        return checks;
    }
    const env = editorEnv();
    const scratch = scratchDir("B");
    const ws = makeWorkspace(scratch);
    // rstitch.llmServerTimeout is a former key (earlier builds): R-Stitch moves it to rstitch.LLMServerTimeout.
    writeUserSettings(scratch, { ...quietSettings, "workbench.colorTheme": LIGHT, "rstitch.tokenBudget": BUDGET, [FORMER_KEY]: FORMER_VALUE });
    mkdirSync(SCREENSHOTS, { recursive: true });
    const shot = (page, name) => page.screenshot({ path: join(SCREENSHOTS, name) }).then(() => console.log(`    screenshot test/e2e/screenshots/${name}`));
    let server, browser, page;
    checks.onFail = async (name) => {
        if (!page) return;
        const file = `failed-${name.toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 60)}.png`;
        await shot(page, file);
    };
    try {
        const ok = await checks.check("the .vsix installs with --install-extension", async () => {
            const out = installVsix(env, scratch, vsix);
            assert(/successfully installed/i.test(out), `unexpected output: ${out.trim()}`);
            return out.trim().split("\n").at(-1);
        });
        if (!ok) return checks;

        server = await startCodeServer({ env, scratch });
        browser = await launchChromium(env);
        page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        page.setDefaultTimeout(30_000);
        page.on("pageerror", (e) => console.log(`    [page error] ${e.message.split("\n")[0]}`));
        await page.goto(`${server.url}/?folder=${encodeURIComponent(ws)}`, { timeout: 120_000 });

        const t0 = Date.now();
        await checks.check("the workbench shows the R-Stitch activity-bar item", async () => {
            await waitForWorkbench(page);
            const item = page.locator('.part.activitybar [aria-label^="R-Stitch"]').first();
            await item.waitFor({ state: "visible", timeout: 90_000 });
            return `"${await item.getAttribute("aria-label")}", ${seconds(Date.now() - t0)}`;
        });
        await checks.check("Ctrl+P opens a workspace file", async () => {
            await openFile(page, "sum.ts");
            return "sum.ts";
        });

        await checks.check('the palette query "R-Stitch" finds every R-Stitch command the palette offers', async () => {
            const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).contributes;
            // Hidden here by their `when` (nothing runs, no selection): Stop and Explain Selection.
            const conditional = new Set(pkg.menus.commandPalette.map((m) => m.command));
            const expected = pkg.commands.filter((c) => !conditional.has(c.command)).map((c) => `${c.category}: ${c.title}`);
            const found = await paletteRows(page, "R-Stitch");
            const missing = expected.filter((label) => !found.includes(label));
            assert(missing.length === 0, `missing ${JSON.stringify(missing)}; the palette lists ${JSON.stringify(found)}`);
            return `${expected.length} of ${expected.length}: ${expected.join(", ")}`;
        });

        const wv = chatWebview(page);
        let first;
        await checks.check("F1 › Solve with R-Stitch asks for a problem", async () => {
            await runCommand(page, "Solve with R-Stitch");
            const asked = await answerInputBox(page, PROBLEM, 60_000);
            return `input box "${asked}", typed "${PROBLEM}"`;
        });

        await checks.check("the answer appears in the sidebar chat, tokens coloured by model", async () => {
            first = await followAnswer(page, wv, { timeout: ANSWER_TIMEOUT_MS });
            const { slm, llm } = first.final;
            assert(slm > 0 && llm > 0, `want both sources, got .tok.slm ${slm}, .tok.llm ${llm}`);
            return `${slm} SLM + ${llm} LLM tokens, ${seconds(first.ms)}`;
        });

        await checks.check("the answer ends with stats that show the LLM share", async () => {
            assert(first, "no answer");
            const share = llmSharePercent(first.final.stats);
            assert(share !== undefined, `no "LLM share" in stats: ${JSON.stringify(first.final.stats)}`);
            const expected = (100 * first.final.llm) / (first.final.slm + first.final.llm);
            assert(Math.abs(share - expected) <= 1, `stats say ${share}% but ${expected.toFixed(1)}% of the spans are LLM`);
            return first.final.stats;
        });

        await checks.check("hovering a token shows its source and entropy", async () => {
            const titles = [];
            // The thinking block folds away when the answer arrives: open it as a person would.
            const fold = wv.locator("details.thinking:not([open]) > summary").last();
            if (await fold.count()) await fold.click();
            for (const cls of ["llm", "slm"]) {
                // Byte-level tokens can be half a character (no glyph of their own): hover one with text.
                const tok = wv.locator(`.tok.${cls}`).filter({ hasText: /\S/ }).first();
                await tok.hover();
                const title = (await tok.getAttribute("title")) ?? "";
                const h = /H\s*=\s*(\d+(?:\.\d+)?)/.exec(title);
                assert(h, `${cls} token title has no entropy: ${JSON.stringify(title)}`);
                const value = Number(h[1]);
                assert(value >= 0 && value <= 1, `entropy ${value} is outside [0, 1]`);
                assert(title.toUpperCase().includes(cls.toUpperCase()), `${cls} token title does not name its model: ${title}`);
                titles.push(title);
            }
            return titles.map((t) => JSON.stringify(t)).join(", ");
        });
        await shot(page, "light-answer.png");
        await checks.check("the answer's turn fits the side bar: no sideways scrollbar, nothing wrapped, the timeline a folded strip", async () => {
            const lay = await readTurnLayout(wv.locator("section.turn").last());
            assert(lay.overflow <= 0 && lay.pageOverflow <= 0 && lay.scrollers.length === 0, `sideways: turn ${lay.overflow} px, page ${lay.pageOverflow} px, scrollbars on ${lay.scrollers.join(", ")}`);
            assert(lay.foot.n === 2 && lay.foot.spread <= 4 && lay.head.n === 2 && lay.head.spread <= 4, `rows wrapped: foot ${JSON.stringify(lay.foot)}, timeline ${JSON.stringify(lay.head)}`);
            assert(lay.summaryOneLine && lay.statsOneLine && !lay.timelineOpen, `thinking header one line ${lay.summaryOneLine}, stats ${lay.statsOneLine}, timeline open ${lay.timelineOpen}`);
            return `${lay.width} × ${lay.height} px (the thinking open), stats ${lay.statsCut ? "cut with an ellipsis" : "whole"}, strip ${lay.stripHeight} px`;
        });

        await checks.check("the chat header's model picker names the pair, is reached by keyboard, has an accessible name, and opens the list of models", async () => {
            const picker = wv.locator("#model-picker");
            await picker.waitFor({ state: "visible" });
            const text = (await picker.innerText()).trim();
            const name = await picker.getAttribute("aria-label");
            // From the question box backwards, as a keyboard user goes up the panel.
            await wv.locator("#prompt").focus();
            const walked = [];
            for (let i = 0; i < 20; i++) {
                await page.keyboard.press("Shift+Tab");
                const id = await wv.locator("body").evaluate(() => document.activeElement?.id || document.activeElement?.localName);
                walked.push(id);
                if (id === "model-picker") break;
            }
            assert(walked.at(-1) === "model-picker", `Shift+Tab from the question box went ${walked.join(" → ")}`);
            await page.keyboard.press("Enter");
            const rows = page.locator(".quick-input-widget .monaco-list-row");
            await rows.first().waitFor({ state: "visible", timeout: 15_000 });
            await page.locator(".quick-input-widget .monaco-list-row", { hasText: "Download recommended models" }).waitFor({ state: "visible", timeout: 15_000 });
            const listed = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
            await shot(page, "light-model-picker.png");
            await page.keyboard.press("Escape");
            await page.locator(".quick-input-widget").waitFor({ state: "hidden", timeout: 15_000 });
            assert(text === "demo pair", `the picker reads "${text}"`);
            assert(name === "Models: demo pair. Choose models", `its accessible name is "${name}"`);
            for (const want of ["demo pair", "Choose files", "Download recommended models"]) assert(listed.some((r) => r.includes(want)), `"${want}" not in ${JSON.stringify(listed)}`);
            return `"${text}" (${name}), ${walked.length} Shift+Tab from the question box, Enter lists ${listed.length} rows: ${listed.slice(0, 4).join(" | ")}`;
        });
        if (await checkTimeline(checks, page, wv, "Light Modern")) await shootTimeline(wv, SCREENSHOTS, "light-timeline.png");
        await checkTraceRoundTrip(checks, page, wv, ws);

        // While answers with tokens are on the page (the Explain check below starts from a cleared chat).
        await editorA11yChecks(checks, { page, wv, shot: (name) => join(SCREENSHOTS, name) });
        // A markdown answer through Open Trace…, in six themes (ends in Light Modern, where it began).
        await markdownTurnChecks(checks, { page, wv, ws, dir: SCREENSHOTS });

        await checks.check("Send with the chat scrolled to the top brings the new question and its answer into view", async () => {
            await showChat(page);
            const before = await wv.locator("section.turn").count();
            const scrolled = await wv.locator("#conversation").evaluate((c) => { c.scrollTop = 0; return { top: c.scrollTop, height: c.scrollHeight, view: c.clientHeight }; });
            // Scrollable at all: from the top, the end of the chat (where the new turn goes) is out of view.
            assert(scrolled.height > scrolled.view + 50, `the chat is too short to scroll (${scrolled.height} px in ${scrolled.view} px)`);
            await wv.locator("#prompt").click();
            await page.keyboard.type(PROBLEM);
            await page.keyboard.press("Enter");
            const turn = wv.locator("section.turn").nth(before);
            await turn.waitFor({ state: "attached", timeout: 30_000 });
            await turn.locator(".tok").first().waitFor({ state: "attached", timeout: ANSWER_TIMEOUT_MS });
            const seen = await turn.evaluate((s) => {
                const list = document.getElementById("conversation").getBoundingClientRect();
                const inView = (e) => { const b = e.getBoundingClientRect(); return b.top >= list.top - 1 && b.bottom <= list.bottom + 1; };
                return { question: inView(s.querySelector(".question")), token: inView([...s.querySelectorAll(".tok")].find((t) => t.getBoundingClientRect().height > 0) ?? s), top: document.getElementById("conversation").scrollTop };
            });
            await followAnswer(page, wv, { timeout: ANSWER_TIMEOUT_MS });
            await shot(page, "light-send-scrolled.png");
            assert(seen.question && seen.token, `after Send from the top: question in view ${seen.question}, first token ${seen.token}`);
            return `scrolled from 0 to ${Math.round(seen.top)} px of ${scrolled.height}; question and first token in view`;
        });

        await checks.check("Clear asks nothing and offers Undo, which brings the answer back", async () => {
            await showChat(page);
            const turns = () => wv.locator("section.turn").count();
            const before = await turns();
            assert(before > 0, "no turn to clear");
            // Every turn on the page (an opened trace included), as the user had them.
            const had = await readChat(wv);
            await wv.locator("#clear").click();
            const undo = wv.locator("#undo-clear");
            await undo.waitFor({ state: "visible", timeout: 15_000 });
            const bar = (await wv.locator("#notice").innerText()).replace(/\s+/g, " ").trim();
            const cleared = await turns();
            await shot(page, "light-cleared-undo.png");
            await undo.click();
            await wv.locator("section.turn").nth(before - 1).waitFor({ state: "visible", timeout: 15_000 });
            const after = await readChat(wv);
            assert(cleared === 0, `${cleared} turns left after Clear`);
            assert(after.slm + after.llm === had.slm + had.llm, `Undo brought back ${after.slm + after.llm} tokens of ${had.slm + had.llm}`);
            return `"${bar}"; ${before} turn(s) cleared and restored with all ${after.slm + after.llm} tokens`;
        });

        // New Chat, Regenerate, edit and resend, Up, Show Chats… (reopens the chat above).
        await chatListChecks(checks, { page, wv, shot: (name) => shot(page, name), question: PROBLEM, timeout: ANSWER_TIMEOUT_MS });

        let asked = "";
        await checks.check("Explain Selection with the demo pair asks first: Run anyway, Download Recommended Models…, Choose Models…", async () => {
            await clearChat(page, wv);
            await page.locator(".editor-group-container .monaco-editor .view-lines").first().click();
            await selectLines(page, 2);
            await runCommand(page, "Explain Selection with R-Stitch");
            const dialog = page.locator(".monaco-dialog-box");
            await dialog.waitFor({ state: "visible", timeout: 30_000 });
            const buttons = (await dialog.locator(".monaco-button").allInnerTexts()).map((t) => t.trim()).filter(Boolean);
            asked = (await dialog.innerText()).replace(/\s+/g, " ").trim();
            await shot(page, "light-explain-ask.png");
            const turns = await wv.locator("section.turn").count();
            await dialog.locator(".monaco-button", { hasText: "Run anyway" }).click();
            for (const want of ["Run anyway", "Download Recommended Models…", "Choose Models…"]) assert(buttons.includes(want), `"${want}" not among ${JSON.stringify(buttons)}`);
            assert(turns === 0, `${turns} turn(s) began before the answer to the question`);
            return `"${asked.slice(0, 160)}"; buttons ${buttons.join(" / ")}`;
        });

        await checks.check("Explain Selection shows a short label; the full prompt is one click away; the demo note sits under its answer", async () => {
            assert(asked, "Explain Selection was not run (the check before failed)");
            await followAnswer(page, wv, { timeout: ANSWER_TIMEOUT_MS });
            const note = (await wv.locator("section.turn").last().locator(".demo-note-text").innerText()).trim();
            assert(/it cannot explain code, so this answer is not meaningful/.test(note), `the note under the answer: "${note}"`);
            assert(await wv.locator("#notice").isHidden(), "a banner shows above the turns");
            const q = wv.locator("section.turn").last().locator(".question");
            const label = (await q.locator(".label").innerText()).trim();
            const shown = (await q.innerText()).replace(/\s+/g, " ").trim();
            const details = q.locator("details.prompt-details");
            const closed = !(await details.evaluate((d) => d.open));
            await details.locator("summary").click();
            const full = await q.locator(".prompt-text").innerText();
            await shot(page, "light-explain.png");
            assert(label === "Explain selection · sum.ts · 2 lines", `label "${label}"`);
            assert(closed && !/Reason step by step/.test(shown), `before the click the question reads "${shown}"`);
            assert(/Reason step by step/.test(full) && full.includes("export function sum(xs: number[]): number {"), `the prompt shown: ${full.slice(0, 200)}`);
            return `"${shown}"; one click shows the ${full.length}-character prompt`;
        });

        await checks.check("Solve with a selection opens the input box prefilled with it; Escape sends nothing", async () => {
            const before = await wv.locator("section.turn").count();
            await page.locator(".editor-group-container .monaco-editor .view-lines").first().click();
            await selectLines(page, 2);
            await runCommand(page, "Solve with R-Stitch");
            const input = page.locator(".quick-input-widget .quick-input-box input");
            const expected = "// Adds the numbers of a list. export function sum(xs: number[]): number {";
            const deadline = Date.now() + 30_000;
            let value = "";
            while ((value = await input.inputValue()) !== expected && Date.now() < deadline) await page.waitForTimeout(100);
            await shot(page, "light-solve-selection.png");
            await page.keyboard.press("Escape");
            await page.locator(".quick-input-widget").waitFor({ state: "hidden", timeout: 15_000 });
            await page.waitForTimeout(1000); // a request sent by mistake would have started by now
            const after = await wv.locator("section.turn").count();
            // Leave no selection behind for the next Solve.
            await page.locator(".editor-group-container .monaco-editor .view-lines").first().click();
            await page.keyboard.press("Control+End");
            assert(value === expected, `the input box holds ${JSON.stringify(value)}`);
            assert(after === before, `Escape still sent it: ${before} → ${after} turns`);
            return `input box "${value}"; after Escape ${after} turn(s), as before`;
        });

        const share1 = llmSharePercent(first?.final.stats ?? "");
        const newThreshold = share1 !== undefined && share1 >= 50 ? 1 : 0;
        await checks.check(`the Settings editor sets rstitch.entropyThreshold to ${newThreshold}`, async () => {
            try {
                const [row] = await editSettings(page, [{ key: "rstitch.entropyThreshold", label: "Entropy Threshold", value: newThreshold }],
                    { afterEach: (e) => settingsSaved(page, scratch, { [e.key]: e.value }) });
                await shot(page, "light-settings.png");
                return row.slice(0, 100);
            } finally {
                await closeSettings(page);
            }
        });

        await checks.check("the Settings editor titles every R-Stitch setting in words, acronyms in capitals; a former key's value was moved", async () => {
            try {
                const props = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).contributes.configuration.properties;
                const current = Object.keys(props).filter((k) => props[k].markdownDeprecationMessage === undefined);
                assert(JSON.stringify(current.toSorted()) === JSON.stringify(Object.keys(TITLES).toSorted()), `contributed: ${current.join(", ")}`);
                const shown = [];
                for (const key of current) {
                    const row = await readSettingRow(page, key);
                    assert(row, `no row for ${key}`);
                    assert(row.label === TITLES[key], `${key} is titled "${row.category}${row.label}", want "${TITLES[key]}"`);
                    shown.push(`${row.category} ${row.label}`);
                }
                await settingsSaved(page, scratch, { "rstitch.LLMServerTimeout": FORMER_VALUE });
                const saved = readUserSettings(scratch);
                const moved = await readSettingRow(page, "rstitch.LLMServerTimeout");
                assert(saved[FORMER_KEY] === undefined && saved["rstitch.LLMServerTimeout"] === FORMER_VALUE,
                    `settings.json: ${FORMER_KEY} = ${saved[FORMER_KEY]}, rstitch.LLMServerTimeout = ${saved["rstitch.LLMServerTimeout"]}`);
                assert(moved.value === String(FORMER_VALUE), `the LLM Server Timeout row shows ${moved.value}`);
                const hidden = await readSettingRow(page, FORMER_KEY);
                assert(hidden === undefined, `the former key still shows: ${JSON.stringify(hidden)}`);
                await searchSettings(page, "@ext:rstitch.rstitch");
                // The list's first row: a virtualized list draws only the rows in view.
                await page.locator(".settings-editor .setting-item-label", { hasText: /^Entropy Threshold$/ }).waitFor({ state: "visible" });
                await shot(page, "light-settings-titles.png");
                return `${shown.join(" | ")}; ${FORMER_KEY} = ${FORMER_VALUE} moved to rstitch.LLMServerTimeout, its row shows ${moved.value}, the former key shows no row`;
            } finally {
                await closeSettings(page);
            }
        });

        await checks.check("switching to a dark theme restyles the chat", async () => {
            await setColorTheme(page, DARK);
            const deadline = Date.now() + 15_000;
            while (!(await readChat(wv)).dark) {
                if (Date.now() > deadline) throw new Error("the webview body never got the vscode-dark class");
                await page.waitForTimeout(250);
            }
            return DARK;
        });

        await checks.check("the next answer's LLM share follows the new threshold", async () => {
            assert(share1 !== undefined, "no LLM share from the first answer");
            await showChat(page);
            await clearChat(page, wv);
            await runCommand(page, "Solve with R-Stitch");
            await answerInputBox(page, PROBLEM, 60_000);
            const next = await followAnswer(page, wv, { timeout: ANSWER_TIMEOUT_MS });
            const share2 = llmSharePercent(next.final.stats);
            assert(share2 !== undefined, `no "LLM share" in stats: ${next.final.stats}`);
            if (newThreshold === 0) assert(share2 > share1, `τ = 0 should raise the LLM share: ${share1}% → ${share2}%`);
            else assert(share2 < share1, `τ = 1 should lower the LLM share: ${share1}% → ${share2}%`);
            await shot(page, "dark-answer.png");
            if (await checkTimeline(checks, page, wv, "Dark Modern")) await shootTimeline(wv, SCREENSHOTS, "dark-timeline.png");
            return `τ → ${newThreshold}: LLM share ${share1}% → ${share2}% (${next.final.stats})`;
        });

        // The demo pair answers faster than anyone could press Stop: switch to the slow pair (as a user
        // would point the settings at bigger models) to watch tokens arrive and stop an answer midway.
        let slow;
        await checks.check("with a slow model pair, tokens stream in while the answer is written", async () => {
            const pair = makeSlowPair();
            const edits = [
                { key: "rstitch.SLMModelPath", label: "SLM Model Path", value: pair.slm },
                { key: "rstitch.LLMModelPath", label: "LLM Model Path", value: pair.llm },
                { key: "rstitch.tokenBudget", label: "Token Budget", value: SLOW_BUDGET },
                { key: "rstitch.contextSize", label: "Context Size", value: SLOW_CONTEXT },
                { key: "rstitch.entropyThreshold", label: "Entropy Threshold", value: SLOW_THRESHOLD },
            ];
            try {
                await editSettings(page, edits, { afterEach: (e) => settingsSaved(page, scratch, { [e.key]: e.value }) });
                await settingsSaved(page, scratch, Object.fromEntries(edits.map((e) => [e.key, e.value])));
            } finally {
                await closeSettings(page);
            }
            await showChat(page);
            // The header's picker follows the settings as they change.
            await wv.locator("#model-picker", { hasText: "slow-slm + slow-llm" }).waitFor({ state: "visible", timeout: 15_000 })
                .catch(async () => assert(false, `with the slow pair set, the header's picker reads "${(await wv.locator("#model-picker").innerText()).trim()}"`));
            await clearChat(page, wv);
            await wv.locator("#prompt").click();
            await page.keyboard.type(PROBLEM);
            await wv.locator("#send").click();
            let pressedAt = -1;
            let stopLatencyMs = -1;
            let clickMs = -1;
            slow = await followAnswer(page, wv, {
                timeout: ANSWER_TIMEOUT_MS,
                interval: 100,
                // Stop once tokens have been seen arriving over several looks.
                onTokens: async (sample, distinct) => {
                    if (distinct < STREAM_LOOKS) return false;
                    await shot(page, "dark-streaming.png");
                    const now = await readChat(wv); // after the screenshot, right before the click
                    if (!now.stopEnabled) return false; // a person clicks Stop when it is enabled
                    pressedAt = now.slm + now.llm;
                    // Record what the page saw of the click, for the failure message if Stop does nothing.
                    await wv.locator("body").evaluate((body) => {
                        window.__rstitchClicks = [];
                        document.addEventListener("click", (e) => window.__rstitchClicks.push({
                            target: e.target.id || e.target.tagName, at: Date.now(),
                            disabled: body.querySelector("#stop").hasAttribute("disabled") }), true);
                    });
                    const clicked = Date.now();
                    await wv.locator("#stop").click({ timeout: 10_000 });
                    clickMs = Date.now() - clicked;
                    // How long until the chat shows the answer as ended (Stop disabled again).
                    while ((await readChat(wv)).stopEnabled && Date.now() - clicked < 60_000) await page.waitForTimeout(50);
                    stopLatencyMs = Date.now() - clicked;
                    return true;
                },
            });
            slow.pressedAt = pressedAt;
            slow.stopLatencyMs = stopLatencyMs;
            slow.clickMs = clickMs;
            assert(pressedAt > 0, `the answer ended (${slow.final.slm + slow.final.llm} tokens, ${slow.final.stats}) before tokens were seen arriving over ${STREAM_LOOKS} looks`);
            return `${slow.distinctCounts} growing counts seen, Stop pressed at ${pressedAt} tokens`;
        });

        await checks.check("Stop ends the answer midway", async () => {
            assert(slow && slow.pressedAt > 0, "no answer was stopped");
            const n = slow.final.slm + slow.final.llm;
            const clicks = (await wv.locator("body").evaluate(() => window.__rstitchClicks ?? []))
                .map((c) => `${c.target}${c.disabled ? " (disabled)" : ""} at ${new Date(c.at).toISOString().slice(11, 23)}`);
            assert(n < SLOW_BUDGET, `the answer ran to ${n} tokens of a budget of ${SLOW_BUDGET} (clicks the page saw: ${JSON.stringify(clicks)})`);
            assert(/stop/i.test(slow.final.stats), `the stats do not say it was stopped: ${slow.final.stats}`);
            await page.waitForTimeout(2000);
            const after = await readChat(wv);
            assert(after.slm + after.llm === n && !after.stopEnabled, `tokens kept coming after Stop (${n} → ${after.slm + after.llm})`);
            await shot(page, "dark-stopped.png");
            slow.stopped = true;
            return `pressed at ${slow.pressedAt}, ended at ${n} of a ${SLOW_BUDGET}-token budget, ` +
                `${seconds(slow.stopLatencyMs)} from the click to Stop disabled (the click itself ${seconds(slow.clickMs)}; ` +
                `the page saw ${clicks.join(", ")}); ${slow.final.stats}`;
        });

        await checks.check("the stopped answer's thinking header, timeline and stats count the same tokens and switches, and so does its trace", async () => {
            assert(slow?.stopped, "no answer was stopped");
            const c = await readCounts(wv.locator("section.turn").last());
            const bad = countsDisagree(c);
            assert(!bad, bad);
            // The host's record (what the trace is written from, and the next turn is asked with) is the same.
            const { trace } = await exportLastTurn(page, wv, ws);
            const llm = trace.tokens.filter((t) => t.source === "llm").length;
            assert(trace.tokens.length === c.header && trace.switches.length === c.stats.switches && trace.stats.totalTokens === c.header
                && trace.stats.llm.tokens === llm && trace.stats.switches === c.stats.switches,
                `the trace: ${trace.tokens.length} tokens, ${trace.switches.length} switches, stats ${trace.stats.totalTokens} tokens / ${trace.stats.switches} switches; the view ${c.header} / ${c.stats.switches}`);
            return `${c.header} tokens, ${c.stats.switches} switches in the header, timeline, stats and trace ("${c.line}")`;
        });

        await checks.check("a missing model file is named in the status bar and the chat instead of Ready; one click fixes it", async () => {
            const missing = join(scratch, "no-such-model.gguf");
            try {
                await editSettings(page, [{ key: "rstitch.SLMModelPath", label: "SLM Model Path", value: missing }],
                    { afterEach: (e) => settingsSaved(page, scratch, { [e.key]: e.value }) });
            } finally {
                await closeSettings(page);
            }
            const broken = page.locator(".part.statusbar .statusbar-item", { hasText: "SLM file missing" }).first();
            await broken.waitFor({ state: "visible", timeout: 15_000 });
            await showChat(page);
            await wv.locator("#fix-models").waitFor({ state: "visible", timeout: 15_000 });
            const chatStatus = await wv.locator("#status").innerText();
            await shot(page, "dark-missing-model.png");
            await broken.click(); // Choose Models…
            const demo = page.locator(".quick-input-widget .monaco-list-row", { hasText: "Demo pair" });
            await demo.waitFor({ state: "visible", timeout: 15_000 });
            await demo.click();
            await page.locator(".part.statusbar .statusbar-item", { hasText: "SLM file missing" }).waitFor({ state: "detached", timeout: 15_000 });
            await wv.locator("#fix-models").waitFor({ state: "hidden", timeout: 15_000 });
            const after = await wv.locator("#status").innerText();
            assert(/SLM file missing/.test(chatStatus) && !/Ready/.test(chatStatus), `the chat status read "${chatStatus}"`);
            assert(/^Ready/.test(after), `after Demo pair the chat status reads "${after}"`);
            // The choice writes both paths, one after the other: the header follows each.
            await wv.locator("#model-picker", { hasText: /^\s*demo pair\s*$/ }).waitFor({ state: "visible", timeout: 15_000 })
                .catch(async () => assert(false, `after Demo pair the header's picker reads "${(await wv.locator("#model-picker").innerText()).trim()}"`));
            return `status bar and chat "${chatStatus}"; the status-bar click → Choose Models… → demo models → "${after}"`;
        });

        await timelineInHighContrast(checks, page, wv, SCREENSHOTS);

        await checks.check("no error notifications", async () => {
            const errors = await page.locator(".notifications-toasts .notification-toast:has(.codicon-error)").allInnerTexts();
            assert(errors.length === 0, errors.join(" | "));
            return "";
        });
    } catch (e) {
        checks.fail("phase B ran", e);
        if (server) console.log(`    code-server log tail:\n${server.logTail(10)}`);
    } finally {
        await browser?.close().catch(() => {});
        await server?.stop();
        keepOrRemove(scratch, checks);
    }
    return checks;
}
