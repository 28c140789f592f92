/**
 * Restricted Mode, in code-server with workspace trust ON (phase T): the workspace (made by
 * test/e2e/phase-trust.mjs) plants model paths and an LLM server in its .vscode/settings.json, under
 * current and former keys. Untrusted, none of them may be used; once the harness grants trust
 * through the workbench's own Workspace Trust editor, they are.
 */
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import { answerQuickPick, api, finished, solve } from "../helpers.ts";

const planted = {
    slm: process.env.RSTITCH_TRUST_SLM ?? "",
    llm: process.env.RSTITCH_TRUST_LLM ?? "",
    server: process.env.RSTITCH_TRUST_SERVER ?? "",
};
const PLANTED_IDS = ["rstitch.SLMModelPath", "rstitch.llmModelPath", "rstitch.LLMServerURL"];

/** Resolves once `ready()` holds, re-checking at each configuration change (no polling). */
function whenSettled(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => {
        const sub = vscode.workspace.onDidChangeConfiguration(() => {
            if (!ready()) return;
            sub.dispose();
            resolve();
        });
    });
}

function workspaceSettingsFile(): string {
    return readFileSync(join(vscode.workspace.workspaceFolders![0].uri.fsPath, ".vscode", "settings.json"), "utf8");
}

describe("Restricted Mode", function () {
    before(() => {
        for (const [k, v] of Object.entries(planted)) if (!v) throw new Error(`RSTITCH_TRUST_${k.toUpperCase()} is not set (run through test/e2e/phase-trust.mjs)`);
    });

    it("an untrusted workspace's model paths and LLM server are not used, and the user is told which", async () => {
        assert.equal(vscode.workspace.isTrusted, false, "the workspace opens in Restricted Mode");
        const a = await api();
        const { settings } = a.settings();
        assert.equal(settings.slmModelPath, "", "SLM: the demo model, not the planted file");
        assert.equal(settings.llmModelPath, "", "LLM: the demo model (the planted value is under the former key)");
        assert.equal(settings.llmServerUrl, "", "no LLM server");
        // VS Code's own reading agrees (the manifest's restrictedConfigurations).
        const config = vscode.workspace.getConfiguration("rstitch");
        for (const id of PLANTED_IDS) assert.equal(config.inspect(id.slice("rstitch.".length))?.workspaceValue, undefined, `${id} hidden by VS Code`);
        const status = a.status();
        assert.doesNotMatch(status.models, /planted/, status.models);
        assert.equal(status.llmRemote, undefined);
        assert.equal(status.problem, undefined, "the demo pair is ready");

        // A question goes to the local demo pair; the harness checks that its planted server saw no request.
        const result = finished(await solve("What is 17 + 25?"));
        assert.ok(result.turn.tokens.length > 0, "the demo pair answered");
        assert.equal(result.stats?.remote, undefined, "the LLM ran here");
        // The former key was not moved inside the untrusted workspace's file.
        assert.match(workspaceSettingsFile(), /"rstitch\.llmModelPath"/);
    });

    it("the model picker neither offers nor keeps the untrusted workspace's paths and server", async () => {
        const file = workspaceSettingsFile();
        // Escape on the first showing, then the in-use pair chosen: neither may write anything.
        let n = 0;
        const pick = answerQuickPick((items) => (n++ === 0 ? undefined : items.find((i) => i.label.startsWith("$(check)"))));
        try {
            await vscode.commands.executeCommand("rstitch.chooseModels");
            await vscode.commands.executeCommand("rstitch.chooseModels");
        } finally {
            pick.restore();
        }
        const shown = pick.offered[0].map((i) => [i.label, i.description, i.detail].join(" ")).join("\n");
        assert.doesNotMatch(shown, /planted/, shown);
        assert.ok(!shown.includes(planted.server), `the planted server is offered:\n${shown}`);
        const inUse = pick.offered[0].find((i) => i.label.startsWith("$(check)"));
        assert.equal(inUse?.label, "$(check) demo pair");
        assert.match(inUse?.detail ?? "", /Restricted Mode: this workspace's .*rstitch\.SLMModelPath.* ignored/, inUse?.detail);
        assert.equal(workspaceSettingsFile(), file, "the workspace's settings file is untouched");
        assert.equal((await api()).status().pair, "demo pair");
    });

    it("once the workspace is trusted, its settings are used", async () => {
        const a = await api();
        const granted = vscode.workspace.isTrusted ? Promise.resolve() : new Promise<void>((resolve) => {
            const sub = vscode.workspace.onDidGrantWorkspaceTrust(() => { sub.dispose(); resolve(); });
        });
        // The harness watches for this line and presses "Trust" in the Workspace Trust editor.
        console.log("RSTITCH-E2E: grant workspace trust");
        await granted;
        assert.equal(vscode.workspace.isTrusted, true);
        await whenSettled(() => a.settings().settings.slmModelPath === planted.slm && a.settings().settings.llmServerUrl === planted.server);
        const { settings } = a.settings();
        assert.equal(settings.slmModelPath, planted.slm);
        assert.equal(settings.llmModelPath, planted.llm, "the former key counts too once trusted");
        assert.equal(settings.llmServerUrl, planted.server);
        await whenSettled(() => /SLM file missing/.test(a.status().problem ?? ""));
        assert.equal(a.status().llmRemote, planted.server);
        // Trusted, the former key is moved to its new key in the workspace's own file.
        const moved = (text: string) => /"rstitch\.LLMModelPath"/.test(text) && !/"rstitch\.llmModelPath"/.test(text);
        await whenSettled(() => moved(workspaceSettingsFile()));
    });
});
