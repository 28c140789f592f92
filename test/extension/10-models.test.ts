/**
 * Models where people look (issue 18 items 5 and 6): Choose Models… (also the chat header's button)
 * lists the files in use and applies a choice to the settings; the demo pair's note sits under the
 * answer it is about, with no banner and no notification per answer; Explain Selection with the demo
 * pair asks before running. The user's clicks are answered through the window API the extension
 * calls (helpers.ts); everything else is the real extension on the real demo pair.
 */
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import type { HostToWebview } from "../../src/protocol.ts";
import { CATALOGUE } from "../../src/models/catalogue.ts";
import type { Outcome } from "../../src/extension/session.ts";
import { demoModelPaths } from "../../src/stitch/defaults.ts";
import { answerInputBox, answerMessages, explainRunningAnyway, answerQuickPick, api, extensionPath, finished, resetSettings, setSetting, solve } from "./helpers.ts";

const config = () => vscode.workspace.getConfiguration("rstitch");

/** Runs Choose Models… with `choose` answering its list; returns the items it offered. */
async function chooseModels(choose: (items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined): Promise<vscode.QuickPickItem[]> {
    const pick = answerQuickPick(choose);
    try {
        await vscode.commands.executeCommand("rstitch.chooseModels");
    } finally {
        pick.restore();
    }
    assert.equal(pick.offered.length, 1, "Choose Models… showed one list");
    return pick.offered[0];
}

/** Resolves with the first status the host posts to the view from now on that matches (one is posted at each settings change). */
async function viewToldStatus(match: (s: Extract<HostToWebview, { type: "status" }>["status"]) => boolean): Promise<Extract<HostToWebview, { type: "status" }>["status"]> {
    const a = await api();
    return new Promise((resolve) => {
        const sub = a.onViewMessage((m) => {
            if (m.type === "status" && match(m.status)) {
                sub.dispose();
                resolve(m.status);
            }
        });
    });
}

describe("models where people look", function () {
    const demo = demoModelPaths(extensionPath());
    let cache: string;

    before(async () => {
        await setSetting("SLMModelPath", "");
        await setSetting("LLMModelPath", "");
        await setSetting("tokenBudget", 96);
        // A recommended pair "downloaded" into the CLI's cache: the demo files under the catalogue's names.
        cache = mkdtempSync(join(tmpdir(), "rstitch-cache-"));
        symlinkSync(demo.slm, join(cache, CATALOGUE.pairs[0].slm.file));
        symlinkSync(demo.llm, join(cache, CATALOGUE.pairs[0].llm.file));
        process.env.RSTITCH_MODELS_DIR = cache;
    });

    after(async () => {
        delete process.env.RSTITCH_MODELS_DIR;
        rmSync(cache, { recursive: true, force: true });
        for (const key of ["SLMModelPath", "LLMModelPath", "entropyThreshold", "tokenBudget"]) await setSetting(key, undefined);
        await resetSettings();
    });

    it("Choose Models… lists the chosen files (current keys), not the embedded demo model", async () => {
        await setSetting("SLMModelPath", demo.slm);
        await setSetting("LLMModelPath", demo.llm);
        const items = await chooseModels(() => undefined);
        const inUse = items.find((i) => i.label.startsWith("$(check)"));
        assert.equal(inUse?.detail, `SLM: ${demo.slm} · LLM: ${demo.llm}`);
        assert.equal(items.find((i) => i.label === "$(file) Small model (SLM) file…")?.detail, demo.slm);
        assert.equal(items.find((i) => i.label === "$(file) Large model (LLM) file…")?.detail, demo.llm);
        assert.ok(!items.some((i) => i.detail === "embedded demo model"), "no file item says the demo model");
        // Escape changed nothing.
        assert.equal(config().get("SLMModelPath"), demo.slm);
    });

    it("the picker offers the downloaded pair, the demo pair, files and Download…, and applies a choice to the settings; the header's name follows", async () => {
        const a = await api();
        const pair = CATALOGUE.pairs[0];
        // The header's button is told the new pair when the settings change.
        const told = viewToldStatus((st) => st.pair === `${pair.slm.name} + ${pair.llm.name}`);
        const items = await chooseModels((list) => list.find((i) => i.label.includes(`${pair.slm.name} + ${pair.llm.name}`)));
        const labels = items.map((i) => i.label);
        for (const want of ["$(package) Demo pair", "$(files) Choose files…", "$(cloud-download) Download recommended models…"]) assert.ok(labels.includes(want), `${want} in ${JSON.stringify(labels)}`);
        assert.equal(config().get("SLMModelPath"), join(cache, pair.slm.file));
        assert.equal(config().get("LLMModelPath"), join(cache, pair.llm.file));
        assert.equal(config().get("entropyThreshold"), pair.threshold, "the pair's starting τ, as Download sets it");
        assert.equal((await told).demo, false);
        assert.equal(a.status().pair, `${pair.slm.name} + ${pair.llm.name}`);

        const back = viewToldStatus((st) => st.pair === "demo pair");
        await chooseModels((list) => list.find((i) => i.label === "$(package) Demo pair"));
        assert.equal(config().get("SLMModelPath"), "");
        assert.equal(config().get("LLMModelPath"), "");
        assert.equal((await back).demo, true);
        await setSetting("entropyThreshold", undefined);
    });

    it("Explain Selection with the demo pair asks first, and runs nothing when dismissed or sent to other models", async () => {
        const a = await api();
        const dir = mkdtempSync(join(tmpdir(), "rstitch-ask-"));
        const file = join(dir, "sum-ask.ts");
        writeFileSync(file, "export function sum(xs: number[]): number {\n    return xs.reduce((a, b) => a + b, 0);\n}\n");
        const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
        editor.selection = new vscode.Selection(0, 0, 2, 1);
        const turns = a.conversation().length;
        const loads = a.pairLoads();
        for (const answer of [undefined, "Choose Models…"]) {
            // "Choose Models…" opens the picker: Escape there.
            const pick = answerQuickPick(() => undefined);
            const messages = answerMessages(() => answer);
            let outcome: Outcome | undefined;
            try {
                outcome = await vscode.commands.executeCommand<Outcome>("rstitch.explainSelection");
            } finally {
                messages.restore();
                pick.restore();
            }
            assert.equal(outcome?.status, "refused", `answered ${answer}: ${JSON.stringify(outcome)}`);
            const ask = messages.asked.filter((m) => m.modal);
            assert.equal(ask.length, 1, JSON.stringify(messages.asked));
            assert.deepEqual(ask[0].items, ["Run anyway", "Download Recommended Models…", "Choose Models…"]);
            assert.match(ask[0].message, /Explain the selection with the embedded demo models\?/);
        }
        assert.equal(a.conversation().length, turns, "no turn was started");
        assert.equal(a.pairLoads(), loads, "no model was loaded");
        assert.equal(a.isBusy(), false);

        const outcome = await explainRunningAnyway();
        const { turn } = finished(outcome!);
        assert.equal(turn.kind, "explain");
        assert.match(turn.demoNote ?? "", /it cannot explain code, so this answer is not meaningful\./);
        await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
        rmSync(dir, { recursive: true, force: true });
    });

    it("Solve with R-Stitch asks first when the question typed in its box is outside the demo pair's task; dismissed, nothing runs", async () => {
        const a = await api();
        const doc = await vscode.workspace.openTextDocument({ content: "Explain what a hash map is\n", language: "plaintext" });
        const editor = await vscode.window.showTextDocument(doc);
        editor.selection = new vscode.Selection(0, 0, 0, 26);
        const turns = a.conversation().length;
        const messages = answerMessages(() => undefined);
        let outcome: Outcome | undefined;
        try {
            outcome = await answerInputBox("workbench.action.acceptSelectedQuickOpenItem");
        } finally {
            messages.restore();
        }
        await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
        assert.equal(outcome?.status, "refused", JSON.stringify(outcome));
        const ask = messages.asked.filter((m) => m.modal);
        assert.equal(ask.length, 1, JSON.stringify(messages.asked));
        assert.match(ask[0].message, /Solve this with the embedded demo models\?/);
        assert.deepEqual(ask[0].items, ["Run anyway", "Download Recommended Models…", "Choose Models…"]);
        assert.equal(a.conversation().length, turns, "no turn was started");
    });

    it("the demo note is attached to the turn it is about, never a banner or a notification per answer, and not given once the models change", async () => {
        const a = await api();
        const posted: HostToWebview[] = [];
        const sub = a.onViewMessage((m) => posted.push(m));
        const messages = answerMessages(() => undefined);
        let outside, inside, again;
        try {
            outside = finished(await solve("Explain what a hash map is")).turn;
            inside = finished(await solve("What is 47 * 36?")).turn;
            again = finished(await solve("Explain what a hash map is")).turn;
        } finally {
            messages.restore();
            sub.dispose();
        }
        assert.match(outside.demoNote ?? "", /^The embedded demo models only solve "What is A op B\?" arithmetic .*this question is not of that form, so this answer is not meaningful\./);
        assert.equal(inside.demoNote, undefined, "an in-range question has no note");
        assert.ok(again.demoNote, "each turn outside the task has its own note");
        const done = posted.filter((m): m is Extract<HostToWebview, { type: "turnDone" }> => m.type === "turnDone");
        assert.deepEqual(done.map((m) => [m.turnId, m.demoNote !== undefined]), [[outside.id, true], [inside.id, false], [again.id, true]]);
        assert.ok(!posted.some((m) => m.type === "notice"), `a banner was posted: ${JSON.stringify(posted.filter((m) => m.type === "notice"))}`);
        const toasts = messages.asked.filter((m) => /demo models/.test(m.message));
        assert.ok(toasts.length <= 1, `${toasts.length} notifications about the demo pair`);

        // Other models (here the same files named by path, so not the embedded pair): no note, and the earlier turns keep theirs.
        await setSetting("SLMModelPath", demo.slm);
        await setSetting("LLMModelPath", demo.llm);
        assert.equal(a.status().demo, false);
        const other = finished(await solve("Explain what a hash map is")).turn;
        assert.equal(other.demoNote, undefined, "no demo note once other models answer");
        assert.ok(a.conversation().find((t) => t.id === outside.id)?.demoNote, "the demo pair's turn keeps its note");
        await setSetting("SLMModelPath", "");
        await setSetting("LLMModelPath", "");
    });
});
