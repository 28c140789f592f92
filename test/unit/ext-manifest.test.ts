import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { COMMANDS } from "../../src/extension/command-ids.ts";
import { LM_VENDOR } from "../../src/extension/lm-request.ts";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
const c = pkg.contributes;

test("every command the extension registers is contributed, under the R-Stitch category", () => {
    const contributed = new Map<string, { title: string; category: string }>(c.commands.map((x: { command: string }) => [x.command, x]));
    assert.deepEqual([...contributed.keys()].sort(), Object.values(COMMANDS).sort());
    for (const cmd of contributed.values()) assert.equal(cmd.category, "R-Stitch");
    assert.equal(contributed.get("rstitch.solve")?.title, "Solve with R-Stitch");
    assert.equal(contributed.get("rstitch.explainSelection")?.title, "Explain Selection with R-Stitch");
    assert.equal(contributed.get("rstitch.stop")?.title, "Stop Generation");
    assert.equal(contributed.get("rstitch.chooseModels")?.title, "Choose Models…");
});

test("Explain Selection is in the editor context menu when there is a selection", () => {
    const entry = c.menus["editor/context"].find((m: { command: string }) => m.command === "rstitch.explainSelection");
    assert.equal(entry?.when, "editorHasSelection");
});

test("the activity-bar container rstitch holds the webview view rstitch.chat, with icons that exist", () => {
    const container = c.viewsContainers.activitybar.find((x: { id: string }) => x.id === "rstitch");
    assert.equal(container.title, "R-Stitch");
    assert.ok(existsSync(new URL(`../../${container.icon}`, import.meta.url)), container.icon);
    assert.deepEqual(c.views.rstitch.map((v: { id: string; type: string }) => [v.id, v.type]), [["rstitch.chat", "webview"]]);
    assert.ok(existsSync(new URL(`../../${pkg.icon}`, import.meta.url)), pkg.icon);
    assert.match(pkg.icon, /\.png$/, "the marketplace refuses SVG icons");
});

test("main points at the CommonJS extension bundle that esbuild.mjs writes", () => {
    assert.equal(pkg.main, "./dist/extension.cjs");
    assert.ok(readFileSync(new URL("../../esbuild.mjs", import.meta.url), "utf8").includes('outfile: "dist/extension.cjs"'));
});

test("a keybinding focuses the chat's question box, and it is not the ctrl+alt+r VS Code already uses", () => {
    const bindings = c.keybindings.filter((k: { command: string }) => k.command === "rstitch.focusInput");
    assert.deepEqual(bindings, [{ command: "rstitch.focusInput", key: "ctrl+alt+j", mac: "cmd+alt+j" }]);
    assert.equal(c.commands.find((x: { command: string }) => x.command === "rstitch.focusInput")?.title, "Focus Chat Input");
    // ctrl+alt+r / cmd+alt+r, the obvious pick, is taken: Run Recent Command in the terminal
    // (Windows, Linux), Toggle Find Using Regex (macOS) and Reveal in File Explorer (Linux desktop).
    for (const k of c.keybindings) assert.doesNotMatch(`${k.key} ${k.mac ?? ""}`, /alt\+r\b/);
});

test("R-Stitch is contributed as a language model vendor, and activates when VS Code's chat asks for it", () => {
    assert.deepEqual(c.languageModelChatProviders, [{ vendor: LM_VENDOR, displayName: "R-Stitch" }]);
    assert.ok(pkg.activationEvents.includes(`onLanguageModelChatProvider:${LM_VENDOR}`));
    // The provider API is feature-detected at run time: the manifest still accepts older editors.
    assert.equal(pkg.engines.vscode, "^1.90.0");
});
