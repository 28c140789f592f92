// Phase B: the packaged extension (.vsix) installed into a clean code-server, used as a person would:
// command palette, input box, the sidebar chat streaming coloured tokens, hover, Stop, the Settings
// editor and the colour theme. No smoke-test driver here (with it, globalState writes from palette
// commands hang).
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { editorEnv } from "../../packaging/editor-env.mjs";
import { launchChromium } from "./lib/browser.mjs";
import { assert, Checks } from "./lib/checks.mjs";
import { installVsix, startCodeServer } from "./lib/code-server.mjs";
import { makeWorkspace, quietSettings, repoRoot, scratchDir, seconds, writeUserSettings } from "./lib/scratch.mjs";
import {
    answerInputBox, chatWebview, clearChat, closeSettings, followAnswer, llmSharePercent, openFile, readChat,
    runCommand, setColorTheme, setNumberSetting, showChat, waitForWorkbench,
} from "./lib/workbench.mjs";

const ANSWER_TIMEOUT_MS = Number(process.env.RSTITCH_E2E_ANSWER_TIMEOUT_MS ?? 5 * 60_000);
const PROBLEM = process.env.RSTITCH_E2E_PROBLEM ?? "What is 17 + 25?";
const SCREENSHOTS = join(repoRoot, "test/e2e/screenshots");
// A bounded answer length keeps the phase bounded on a slow, shared machine.
const BUDGET = Number(process.env.RSTITCH_E2E_BUDGET ?? 128);
const LIGHT = "Default Light Modern";
const DARK = "Default Dark Modern";

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
    writeUserSettings(scratch, { ...quietSettings, "workbench.colorTheme": LIGHT, "rstitch.tokenBudget": BUDGET });
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

        const wv = chatWebview(page);
        let first;
        await checks.check("F1 › Solve with R-Stitch asks for a problem", async () => {
            await runCommand(page, "Solve with R-Stitch");
            const asked = await answerInputBox(page, PROBLEM, 60_000);
            return `input box "${asked}", typed "${PROBLEM}"`;
        });

        await checks.check("SLM and LLM tokens stream into the sidebar chat", async () => {
            first = await followAnswer(page, wv, { timeout: ANSWER_TIMEOUT_MS });
            const { slm, llm } = first.final;
            assert(slm > 0 && llm > 0, `want both sources, got .tok.slm ${slm}, .tok.llm ${llm}`);
            assert(first.distinctCounts >= 2, `tokens arrived all at once (${first.distinctCounts} distinct counts seen)`);
            return `${slm} SLM + ${llm} LLM tokens over ${first.distinctCounts} looks, ${seconds(first.ms)}`;
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

        await checks.check("Stop ends an answer midway", async () => {
            assert(first, "no first answer to compare with");
            const full = first.final.slm + first.final.llm;
            await clearChat(page, wv);
            await wv.locator("#prompt").click();
            await wv.locator("#prompt").fill(PROBLEM);
            await wv.locator("#send").click();
            let pressedAt = -1;
            const stopped = await followAnswer(page, wv, {
                timeout: ANSWER_TIMEOUT_MS,
                interval: 50,
                onTokens: async (s) => { pressedAt = s.slm + s.llm; await wv.locator("#stop").click({ timeout: 5_000 }); },
            });
            const n = stopped.final.slm + stopped.final.llm;
            assert(pressedAt >= 0, "never saw a token to stop at");
            assert(n < full, `the stopped answer has ${n} tokens, the full one ${full}: it did not stop early`);
            const later = await readChat(wv);
            await page.waitForTimeout(1500);
            const after = await readChat(wv);
            assert(after.slm + after.llm === later.slm + later.llm && !after.stopEnabled, "tokens kept coming after Stop");
            return `pressed at ${pressedAt} tokens, ended at ${n} of ${full}; stats: ${stopped.final.stats}`;
        });

        const share1 = llmSharePercent(first?.final.stats ?? "");
        const newThreshold = share1 !== undefined && share1 >= 50 ? 1 : 0;
        await checks.check(`the Settings editor sets rstitch.entropyThreshold to ${newThreshold}`, async () => {
            const row = await setNumberSetting(page, "rstitch.entropyThreshold", "Entropy Threshold", newThreshold);
            const file = join(scratch, "ud", "User", "settings.json");
            const deadline = Date.now() + 15_000;
            for (;;) {
                const text = readFileSync(file, "utf8");
                if (new RegExp(`"rstitch\\.entropyThreshold"\\s*:\\s*${newThreshold}\\b`).test(text)) break;
                if (Date.now() > deadline) throw new Error(`settings.json never got the value:\n${text}`);
                await page.waitForTimeout(250);
            }
            await shot(page, "light-settings.png");
            await closeSettings(page);
            return row.slice(0, 140);
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
            return `τ → ${newThreshold}: LLM share ${share1}% → ${share2}% (${next.final.stats})`;
        });

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
    }
    return checks;
}
