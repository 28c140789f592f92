// Phase T: Restricted Mode for real. code-server starts with workspace trust ON and opens a folder
// whose .vscode/settings.json plants model files and an LLM server (current and former keys). The
// in-host suite out/test/extension-trust checks none is used while the folder is untrusted; when it
// asks, this harness presses "Trust" in the workbench's own Workspace Trust editor, and the suite
// checks they are used from then on. A loopback server stands in for the planted LLM server and
// counts what reaches it: nothing may before trust is granted.
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { phaseA } from "./phase-a.mjs";
import { repoRoot } from "./lib/scratch.mjs";
import { runCommand } from "./lib/workbench.mjs";

const GRANT_LINE = "RSTITCH-E2E: grant workspace trust";
const NOTICE = "This workspace is not trusted";

function plantedServer() {
    const seen = [];
    const server = createServer((req, res) => {
        seen.push(`${req.method} ${req.url}`);
        res.writeHead(503, { "content-type": "text/plain" }).end("planted server");
    });
    return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${server.address().port}`, seen, close: () => server.close() })));
}

/** The Workspace Trust editor, as a person opens it, and its "Trust" button. */
async function grantTrust(page) {
    await runCommand(page, "Manage Workspace Trust");
    const trust = page.locator(".workspace-trust-editor .workspace-trust-buttons-row .monaco-button", { hasText: /^Trust$/ }).first();
    await trust.waitFor({ state: "visible", timeout: 30_000 });
    await trust.click();
}

export async function phaseTrust() {
    const server = await plantedServer();
    const planted = { slm: "/nonexistent-planted/planted-slm.gguf", llm: "/nonexistent-planted/planted-llm.gguf", server: server.url };
    let before;
    let notices;
    let grantError;
    let granting;
    const checks = await phaseA({
        name: "T",
        testsDir: join(repoRoot, "out/test/extension-trust"),
        workspaceTrust: true,
        userSettings: { "security.workspace.trust.enabled": true, "security.workspace.trust.startupPrompt": "never" },
        serverEnv: { RSTITCH_TRUST_SLM: planted.slm, RSTITCH_TRUST_LLM: planted.llm, RSTITCH_TRUST_SERVER: planted.server },
        prepareWorkspace: (ws) => {
            mkdirSync(join(ws, ".vscode"), { recursive: true });
            writeFileSync(join(ws, ".vscode", "settings.json"), JSON.stringify({
                "rstitch.SLMModelPath": planted.slm,
                "rstitch.llmModelPath": planted.llm,
                "rstitch.LLMServerURL": planted.server,
            }, null, 2));
        },
        onLine: (line, page) => {
            if (!line.includes(GRANT_LINE) || granting) return;
            before = [...server.seen];
            granting = (async () => {
                // The notification centre holds every notification, toasts that hid themselves included.
                await runCommand(page, "Show Notifications");
                const messages = page.locator(".notifications-center .notification-list-item-message");
                await messages.first().waitFor({ state: "visible", timeout: 30_000 });
                notices = (await messages.allInnerTexts()).filter((t) => t.includes(NOTICE));
                await page.keyboard.press("Escape");
                await grantTrust(page);
            })().catch((e) => { grantError = e; });
        },
    });
    await granting;
    server.close();
    if (before === undefined) checks.fail("the suite asked for trust", "it never logged the grant line");
    else {
        if (grantError) checks.fail("trust granted through the Workspace Trust editor", grantError);
        if (before.length === 0) checks.pass("untrusted: the planted LLM server received nothing", "0 requests before trust");
        else checks.fail("untrusted: the planted LLM server received nothing", before.join(", "));
        if (notices?.length === 1) checks.pass("the user is told once what was ignored", notices[0].slice(0, 160));
        else checks.fail("the user is told once what was ignored", `${notices?.length ?? 0} notices: ${JSON.stringify(notices)}`);
    }
    return checks;
}
