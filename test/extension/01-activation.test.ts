import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { api, EXTENSION_ID } from "./helpers.ts";

const COMMANDS = ["rstitch.solve", "rstitch.explainSelection", "rstitch.stop", "rstitch.chooseModels", "rstitch.clearConversation", "rstitch.showLog"];

describe("activation", () => {
    it("activates and returns its API", async () => {
        const a = await api();
        assert.ok(vscode.extensions.getExtension(EXTENSION_ID)!.isActive);
        for (const f of ["lastResult", "onEvent", "isBusy", "settings", "conversation", "status", "viewReady", "migrateSettings"] as const) assert.equal(typeof a[f], "function", f);
        assert.equal(a.isBusy(), false);
        assert.equal(a.status().state, "idle");
    });

    it("registers every command", async () => {
        const all = new Set(await vscode.commands.getCommands(true));
        for (const c of COMMANDS) assert.ok(all.has(c), `command ${c} is not registered`);
    });

    it("contributes the activity-bar container rstitch with the webview view rstitch.chat", () => {
        const contributes = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes;
        const container = contributes.viewsContainers.activitybar.find((c: { id: string }) => c.id === "rstitch");
        assert.equal(container?.title, "R-Stitch");
        const view = contributes.views.rstitch.find((v: { id: string }) => v.id === "rstitch.chat");
        assert.equal(view?.type, "webview");
        const titles = Object.fromEntries(contributes.commands.map((c: { command: string; title: string }) => [c.command, c.title]));
        assert.equal(titles["rstitch.solve"], "Solve with R-Stitch");
        assert.equal(titles["rstitch.explainSelection"], "Explain Selection with R-Stitch");
        assert.equal(titles["rstitch.stop"], "Stop Generation");
        assert.equal(titles["rstitch.chooseModels"], "Choose Models…");
    });

    it("opens the chat view, whose page loads and reports ready", async () => {
        const a = await api();
        await vscode.commands.executeCommand("rstitch.chat.focus");
        // The page's script posts `ready` once it runs: a view that never resolved, or a page its CSP
        // or a script error stopped, times the test out here.
        await a.viewReady();
    });
});
