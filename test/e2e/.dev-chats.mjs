// DEV ONLY (not committed): phase B's start, one answer, then the chat-list checks.
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { editorEnv } from "../../packaging/editor-env.mjs";
import { chatListChecks } from "./chat-list-checks.mjs";
import { launchChromium } from "./lib/browser.mjs";
import { Checks } from "./lib/checks.mjs";
import { installVsix, startCodeServer } from "./lib/code-server.mjs";
import { makeWorkspace, quietSettings, repoRoot, scratchDir, writeUserSettings } from "./lib/scratch.mjs";
import { answerInputBox, chatWebview, followAnswer, runCommand, waitForWorkbench, showChat } from "./lib/workbench.mjs";
const checks = new Checks("B");
const env = editorEnv();
const scratch = scratchDir("Bdev");
const ws = makeWorkspace(scratch);
writeUserSettings(scratch, { ...quietSettings, "workbench.colorTheme": "Default Light Modern", "rstitch.tokenBudget": 128 });
const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
console.log(installVsix(env, scratch, join(repoRoot, "dist", `${pkg.name}-${pkg.version}.vsix`)).trim().split("\n").at(-1));
const server = await startCodeServer({ env, scratch });
const browser = await launchChromium(env);
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
page.setDefaultTimeout(30_000);
const shot = (name) => page.screenshot({ path: join("/tmp/chats-dev", name) }).then(() => console.log(`    screenshot ${name}`));
checks.onFail = (name) => shot(`failed-${name.slice(0, 30).replace(/\W+/g, "-")}.png`);
try {
    await page.goto(`${server.url}/?folder=${encodeURIComponent(ws)}`, { timeout: 120_000 });
    await waitForWorkbench(page);
    await page.locator('.part.activitybar [aria-label^="R-Stitch"]').first().waitFor({ state: "visible", timeout: 90_000 });
    const wv = chatWebview(page);
    await runCommand(page, "Solve with R-Stitch");
    await answerInputBox(page, "What is 47 * 36?", 60_000);
    await followAnswer(page, wv, { timeout: 300_000 });
    await chatListChecks(checks, { page, wv, shot, question: "What is 47 * 36?", timeout: 300_000 });
} catch (e) { checks.fail("ran", e); await shot("crash.png"); }
finally { await browser.close(); await server.stop(); }
console.log(checks.summary());
process.exit(0);
