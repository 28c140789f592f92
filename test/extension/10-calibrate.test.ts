/**
 * R-Stitch: Calibrate Models… in the real editor, on the real demo pair with a few prompts: it writes
 * into the extension's storage (never beside the models), the next router answer routes with that
 * file; Cancel writes nothing; a bad prompts file and a remote LLM are refused in one line.
 */
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import type { CalibrateOutcome } from "../../src/extension/calibrate-command.ts";
import { storedCalibrationPath } from "../../src/extension/pair-calibration.ts";
import { parseCalibration } from "../../src/stitch/calibration.ts";
import { answerMessages, answerQuickPick, api, driveProgress, finished, resetSettings, setSetting, solve, useTestPair } from "./helpers.ts";

const PROMPTS = 12;
const calibrate = async (args?: object) => vscode.commands.executeCommand<CalibrateOutcome>("rstitch.calibrateModels", args);

/** Runs the command on the built-in prompts with the dialogs answered and the notification driven, then puts them back. */
async function calibrateBuiltIn(answer: Parameters<typeof answerMessages>[0], onReport?: Parameters<typeof driveProgress>[0]) {
    const msgs = answerMessages(answer);
    const picks = answerQuickPick((items) => items.find((i) => i.label.startsWith("Built-in prompts")));
    const progress = driveProgress(onReport);
    try {
        return { outcome: await calibrate({ problems: PROMPTS }), msgs, picks, progress };
    } finally {
        progress.restore();
        picks.restore();
        msgs.restore();
    }
}

describe("R-Stitch: Calibrate Models… (calibrates the current pair into the extension's storage)", function () {
    let pair: { slm: string; llm: string };
    let stored: string;
    let scratch: string;
    before(async function () {
        if (process.env.RSTITCH_TEST_SLM) this.skip();
        pair = await useTestPair();
        await setSetting("tokenBudget", 160);
        await setSetting("routing", "threshold");
        // The storage folder is the extension's: beside the saved chats' folder.
        const calibrations = join(dirname((await (await api()).savedChats(false)).dir), "calibrations");
        stored = storedCalibrationPath(calibrations, pair.slm, pair.llm);
        rmSync(stored, { force: true });
        scratch = mkdtempSync(join(tmpdir(), "rstitch-calibrate-"));
    });
    after(async () => {
        // Later tests expect the shipped calibration (10-routing).
        if (stored) rmSync(stored, { force: true });
        if (scratch) rmSync(scratch, { recursive: true, force: true });
        await resetSettings();
    });

    it("is in the palette as R-Stitch: Calibrate Models… and in the chat view's overflow menu", () => {
        const pkg = vscode.extensions.getExtension("rstitch.rstitch")!.packageJSON as { contributes: { commands: { command: string; title: string; category: string }[]; menus: Record<string, { command: string; group?: string }[]> } };
        const cmd = pkg.contributes.commands.find((c) => c.command === "rstitch.calibrateModels");
        assert.equal(`${cmd?.category}: ${cmd?.title}`, "R-Stitch: Calibrate Models…");
        assert.match(String(pkg.contributes.menus["view/title"].find((m) => m.command === "rstitch.calibrateModels")?.group), /^more@/);
    });

    it("Cancel after the first prompt stops it and writes nothing", async () => {
        // The notification's Cancel, pressed once the first prompt is done.
        const { outcome, msgs, progress } = await calibrateBuiltIn(() => undefined, (r, cancel) => {
            if (r.message === `1/${PROMPTS}`) cancel();
        });
        assert.equal(outcome?.status, "cancelled", JSON.stringify(outcome));
        assert.equal(progress.opened.length, 1);
        assert.equal(progress.opened[0].title, `R-Stitch: Calibrating ${PROMPTS} prompts…`);
        assert.ok(progress.opened[0].cancellable);
        assert.ok(!progress.opened[0].reports.some((r) => r.message === `${PROMPTS}/${PROMPTS}`), "it stopped before the last prompt");
        assert.ok(msgs.asked.some((a) => a.message === "R-Stitch: Calibration cancelled; nothing was written."), JSON.stringify(msgs.asked));
        assert.equal(existsSync(stored), false, "no calibration written");
        assert.deepEqual(existsSync(dirname(stored)) ? readdirSync(dirname(stored)).filter((f) => f.endsWith(".part")) : [], [], "no partial file left");
    });

    it(`on ${PROMPTS} built-in prompts: writes a calibration into storage, offers Use the Router, and the next router answer uses that file`, async () => {
        const beside = readdirSync(dirname(pair.llm)).sort();
        const routed = new Promise<void>((resolve) => {
            const sub = vscode.workspace.onDidChangeConfiguration((e) => {
                if (e.affectsConfiguration("rstitch.routing") && vscode.workspace.getConfiguration("rstitch").get("routing") === "router") {
                    sub.dispose();
                    resolve();
                }
            });
        });
        const { outcome, msgs, picks, progress } = await calibrateBuiltIn((a) => (a.items.includes("Use the Router") ? "Use the Router" : undefined));
        assert.equal(outcome?.status, "done", JSON.stringify(outcome));
        assert.deepEqual(picks.offered[0].map((i) => i.label), ["Built-in prompts (200)", "Choose a JSONL file…"]);
        assert.deepEqual(progress.opened[0].reports.map((r) => r.message), Array.from({ length: PROMPTS + 1 }, (_, k) => `${k}/${PROMPTS}`));
        const steps = progress.opened[0].reports.reduce((s, r) => s + (r.increment ?? 0), 0);
        assert.ok(Math.abs(steps - 100) < 1e-6, `increments add up to 100, got ${steps}`);

        assert.equal(outcome.file, stored, "written where routing looks first: the extension's storage");
        const read = parseCalibration(readFileSync(stored, "utf8"));
        assert.ok(read.ok, read.ok ? "" : read.reason);
        assert.equal(read.calibration.prompts, PROMPTS);
        assert.deepEqual(read.calibration.pair, { slm: basename(pair.slm), llm: basename(pair.llm) });
        assert.equal(read.calibration.source, "built-in (models/demo.prompts.jsonl)");
        assert.deepEqual(readdirSync(dirname(pair.llm)).sort(), beside, "nothing written beside the models");

        const said = msgs.asked.find((a) => a.items.includes("Use the Router"));
        assert.ok(said, JSON.stringify(msgs.asked));
        assert.match(said.message, new RegExp(`^R-Stitch: Calibrated demo-slm \\+ demo-llm on ${PROMPTS} prompts: τ [\\d.]+ for within 1 point of the LLM on the labelled problems; the router makes .*hand-overs.*\\.$`));
        assert.equal(said.message.split("\n").length, 1);

        await routed; // the button wrote rstitch.routing = router into the user settings
        assert.equal(vscode.workspace.getConfiguration("rstitch").inspect("routing")?.globalValue, "router");
        const { stats } = finished(await solve("What is 86 * 79?"));
        assert.equal(stats?.calibration?.routing, "router");
        assert.equal(stats?.calibration?.file, basename(stored));
        assert.notEqual(stats?.calibration?.file, "demo.calibration.json");
    });

    it("a bad prompts file: the CLI's one-line message, and nothing written", async () => {
        rmSync(stored, { force: true });
        const bad = join(scratch, "bad.jsonl");
        writeFileSync(bad, '{"prompt": "What is 1 + 2?"}\n{"answer": "3"}\n');
        const msgs = answerMessages(() => undefined);
        let outcome: CalibrateOutcome;
        try {
            outcome = await calibrate({ file: bad });
        } finally {
            msgs.restore();
        }
        assert.equal(outcome?.status, "refused");
        assert.deepEqual(msgs.asked.map((a) => [a.level, a.message]), [["warning", `R-Stitch: ${bad} line 2 needs a string "prompt" (an "answer" is optional).`]]);
        assert.equal(existsSync(stored), false);
    });

    it("the LLM on a server, or no local pair: refused in one line before anything loads", async () => {
        const loads = (await api()).pairLoads();
        const msgs = answerMessages(() => undefined);
        try {
            await setSetting("LLMServerURL", "http://127.0.0.1:9");
            const remote = await calibrate({ problems: 2 });
            await setSetting("LLMServerURL", "");
            await setSetting("SLMModelPath", join(scratch, "no-such-slm.gguf"));
            const missing = await calibrate({ problems: 2 });
            assert.equal(remote?.status, "refused");
            assert.equal(missing?.status, "refused");
        } finally {
            msgs.restore();
            await setSetting("LLMServerURL", undefined);
            await useTestPair();
        }
        assert.deepEqual(msgs.asked.map((a) => a.level), ["warning", "warning"]);
        assert.equal(msgs.asked[0].message, "R-Stitch: Calibrate Models needs both models on this machine, and the LLM runs on a server (rstitch.LLMServerURL).");
        assert.match(msgs.asked[1].message, /^R-Stitch: there is no local pair to calibrate: The SLM file .*no-such-slm\.gguf does not exist/);
        assert.equal((await api()).pairLoads(), loads, "no model was loaded");
        assert.equal(existsSync(stored), false);
    });
});
