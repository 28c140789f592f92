// Phase A: the in-host mocha suite (out/test/extension) run by VS Code itself inside code-server's
// extension host, through the extensionDevelopmentPath/extensionTestsPath payload. The smoke-test
// driver option makes the web workbench honour the payload and report the exit code to the page.
// Every in-host test is one check here (its result line from test/extension/index.ts), a pending one
// a skipped check.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { format } from "node:util";
import { editorEnv } from "../../packaging/editor-env.mjs";
import { launchChromium } from "./lib/browser.mjs";
import { Checks } from "./lib/checks.mjs";
import { startCodeServer } from "./lib/code-server.mjs";
import { keepOrRemove, makeWorkspace, quietSettings, repoRoot, scratchDir, seconds, writeUserSettings } from "./lib/scratch.mjs";

// Workbench chatter that says nothing about the suite (offline gallery, auth, sockets).
const NOISE = /ENOTFOUND|open-vsx|authentication provider|Creating a socket|connection token|reconnection-grace|builtin extensions cache|Service Worker|AccountPolicyGate|AgentHost|telemetry/i;
const VERBOSE = process.env.RSTITCH_E2E_VERBOSE === "1";
// The whole in-host suite, the default soak (8 rounds) included, fits in 15 minutes; a long soak
// (RSTITCH_SOAK_RELOADS, at most a minute per round: test/extension/06-soak.test.ts) adds its own time.
const SOAK_MS = Number(process.env.RSTITCH_SOAK_RELOADS ?? 0) * 60_000;
const SUITE_TIMEOUT_MS = Number(process.env.RSTITCH_E2E_SUITE_TIMEOUT_MS ?? 15 * 60_000 + SOAK_MS);

/**
 * @param {object} [o]  phase T (phase-trust.mjs) runs another suite through the same steps:
 * @param {string} [o.name]           the phase's letter
 * @param {string} [o.testsDir]       the built suite's folder
 * @param {(ws: string) => void} [o.prepareWorkspace]  writes what the workspace holds
 * @param {object} [o.userSettings]   user settings over the quiet ones
 * @param {boolean} [o.workspaceTrust]  start code-server with workspace trust on
 * @param {object} [o.serverEnv]      extra environment for code-server and its extension host
 * @param {(line: string, page: object) => void} [o.onLine]  sees each line the suite logs
 */
export async function phaseA(o = {}) {
    const name = o.name ?? "A";
    const checks = new Checks(name);
    const extDir = process.env.RSTITCH_E2E_EXT_DIR ?? repoRoot;
    const testsDir = o.testsDir ?? process.env.RSTITCH_E2E_TESTS_DIR ?? join(extDir, "out/test/extension");
    console.log(`Phase ${name} — in-host suite ${testsDir}${o.workspaceTrust ? " (workspace trust on)" : ""}`);
    // Point at the index file, not the folder: the extension's package.json says "type": "module",
    // so VS Code import()s the suite, and ESM has no directory imports.
    const index = ["index.js", "index.cjs"].map((f) => join(testsDir, f)).find((f) => existsSync(f));
    if (!index) {
        checks.fail("in-host suite is built", `${testsDir}/index.js not found (npm run build:test-extension)`);
        return checks;
    }
    const env = editorEnv();
    const scratch = scratchDir(name);
    const ws = makeWorkspace(scratch);
    o.prepareWorkspace?.(ws);
    writeUserSettings(scratch, { ...quietSettings, ...o.userSettings });
    let server, browser;
    try {
        const t0 = Date.now();
        server = await startCodeServer({ env, scratch, smokeDriver: true, workspaceTrust: o.workspaceTrust, extraEnv: o.serverEnv });
        checks.pass("code-server starts with the smoke-test driver", `port ${server.port}, ${seconds(Date.now() - t0)}`);

        browser = await launchChromium(env);
        const page = await browser.newPage();
        const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
        const payload = [["extensionDevelopmentPath", remote(extDir)], ["extensionTestsPath", remote(index)], ["skipWelcome", "true"]];
        const url = `${server.url}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

        const mochaTally = [];
        const inHost = { planned: undefined, reported: 0 };
        let finish;
        const exited = new Promise((resolve) => { finish = resolve; });
        await page.exposeFunction("codeAutomationLog", (level, args) => {
            // Mocha's reporter logs printf-style ("%s%s", …): format as the console would.
            const text = format(...(Array.isArray(args) ? args : [args]));
            if (!VERBOSE && NOISE.test(text)) return;
            const tally = /^\s*(\d+ (?:passing|failing|pending))\b/.exec(text);
            if (tally) mochaTally.push(tally[1]);
            for (const line of text.split("\n")) {
                if (!countInHostResult(line, checks, inHost)) console.log(`  | ${line}`);
                o.onLine?.(line, page);
            }
        });
        await page.exposeFunction("codeAutomationExit", (code, logs) => {
            // Keep VS Code's own logs (exthost, window) for post-mortems.
            for (const { relativePath, contents } of logs ?? []) {
                const file = join(scratch, "vscode-logs", relativePath);
                mkdirSync(dirname(file), { recursive: true });
                writeFileSync(file, contents);
            }
            finish(code);
        });
        page.on("pageerror", (e) => console.log(`  | [page error] ${e.message}`));

        const tRun = Date.now();
        await page.goto(url, { timeout: 120_000 });
        const timeout = new Promise((resolve) => setTimeout(() => resolve("timeout"), SUITE_TIMEOUT_MS));
        const code = await Promise.race([exited, timeout]);
        if (code === "timeout") {
            checks.fail("in-host suite finishes", `no exit after ${seconds(SUITE_TIMEOUT_MS)}; code-server log:\n${server.logTail(15)}`);
        } else if (code === 0) {
            checks.pass("in-host suite exits 0 in code-server's extension host", `${mochaTally.join(", ") || "no mocha tally seen"}, ${seconds(Date.now() - tRun)}`);
        } else {
            checks.fail("in-host suite exits 0 in code-server's extension host", `exit code ${code}${mochaTally.length ? ` (${mochaTally.join(", ")})` : ""}`);
        }
        // Each in-host test is a check of its own; one that never reported (a crash, the timeout) fails.
        if (inHost.planned === undefined) checks.fail("in-host suite reports its tests", "no rstitch-test plan line seen");
        else if (inHost.reported < inHost.planned) checks.fail("every in-host test reports a result", `${inHost.planned - inHost.reported} of ${inHost.planned} never did`);
    } catch (e) {
        checks.fail("phase A ran", e);
    } finally {
        await browser?.close().catch(() => {});
        await server?.stop();
        keepOrRemove(scratch, checks);
    }
    return checks;
}

/**
 * One `rstitch-test` line of test/extension/index.ts (its JSON-quoted title and detail) becomes a
 * check: pass, fail, or skipped for a pending test. Returns false for any other line.
 */
function countInHostResult(line, checks, inHost) {
    const m = /^rstitch-test (plan|pass|fail|pending|hook-fail) ("(?:[^"\\]|\\.)*")(?: (".*"))?$/.exec(line.trim());
    if (!m) return false;
    const [, state, title, detail] = m;
    const name = JSON.parse(title);
    const more = detail ? JSON.parse(detail) : "";
    if (state === "plan") inHost.planned = Number(name);
    else if (state === "pass") checks.pass(name, more);
    else if (state === "pending") checks.skip(name, "pending in the in-host suite");
    else checks.fail(state === "hook-fail" ? `hook: ${name}` : name, more);
    if (state === "pass" || state === "fail" || state === "pending") inHost.reported++;
    return true;
}
