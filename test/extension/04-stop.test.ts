import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { Outcome } from "../../src/extension/session.ts";
import { api, finished, nextEvent, resetSettings, setSetting, solve, useTestPair } from "./helpers.ts";

describe("stopping and one request at a time", () => {
    before(async () => {
        await useTestPair();
        // Long enough that only Stop can end it early.
        await setSetting("tokenBudget", 2048);
        await setSetting("mode", "llm");
    });
    after(resetSettings);

    it("Stop Generation ends the answer within a token", async () => {
        const a = await api();
        const firstToken = nextEvent(a, (e) => e.type === "token");
        const running = solve("What is 123 + 456?");
        await firstToken;
        const stopped = await vscode.commands.executeCommand<boolean>("rstitch.stop");
        assert.equal(stopped, true);
        const result = finished(await running);
        assert.equal(result.stopReason, "abort");
        assert.ok(result.turn.tokens.length <= 3, `stopped after the first token, yet ${result.turn.tokens.length} tokens were written`);
        assert.equal(a.isBusy(), false);
        assert.equal(a.status().state, "idle");
    });

    it("refuses a second request while one runs, and the first one goes on", async () => {
        const a = await api();
        const firstToken = nextEvent(a, (e) => e.type === "token");
        const running = solve("What is 9 + 10?");
        await firstToken;
        const second = await vscode.commands.executeCommand<Outcome>("rstitch.solve", "What is 1 + 1?");
        assert.equal(second?.status, "refused");
        assert.match(second.status === "refused" ? second.reason : "", /already answering/);
        await vscode.commands.executeCommand("rstitch.stop");
        const first = finished(await running);
        assert.equal(first.stopReason, "abort");
        assert.equal(first.turn.prompt, "What is 9 + 10?");
    });

    it("Stop Generation when nothing runs is harmless", async () => {
        assert.equal(await vscode.commands.executeCommand<boolean>("rstitch.stop"), false);
    });
});
