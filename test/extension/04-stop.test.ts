import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { DoneEvent } from "../../src/stitch/events.ts";
import type { Outcome } from "../../src/extension/session.ts";
import { api, finished, nextEvent, resetSettings, setSetting, solve, useTestPair } from "./helpers.ts";

/** The token at which the Stop test stops. */
const STOP_AT = 4;

describe("stopping and one request at a time", () => {
    before(async () => {
        await useTestPair();
        // Long enough that only Stop can end it early.
        await setSetting("tokenBudget", 2048);
        await setSetting("mode", "llm");
    });
    after(resetSettings);

    it("Stop at a known token: the answer ends there, nothing after it is shown, and what streamed is the unstopped answer's beginning", async () => {
        const a = await api();
        const problem = "What is 123 + 456?";
        await setSetting("tokenBudget", 64);
        // Greedy decoding: the same problem in the same (empty) conversation gives the same tokens, so the
        // unstopped run is the reference. Each is asked in a cleared chat: a turn before it would be in its prompt.
        await vscode.commands.executeCommand("rstitch.clearConversation");
        const reference = finished(await solve(problem));
        await vscode.commands.executeCommand("rstitch.clearConversation");
        assert.ok(reference.turn.tokens.length > STOP_AT + 4, `the reference answer is long enough to stop inside (${reference.turn.tokens.length} tokens)`);

        const streamed: string[] = [];
        let stopped: boolean | undefined;
        let done: DoneEvent | undefined;
        // The listener runs inside the decoding loop, so Stop lands exactly at the STOP_AT-th token.
        const sub = a.onEvent((e) => {
            if (e.type === "token") {
                streamed.push(e.text);
                if (streamed.length === STOP_AT) stopped = a.stop();
            } else if (e.type === "done") done = e;
        });
        const result = finished(await solve(problem));
        sub.dispose();
        await setSetting("tokenBudget", 2048);

        assert.equal(stopped, true, "Stop found the request running");
        assert.equal(result.stopReason, "abort");
        assert.equal(done?.stopReason, "abort");
        // After Stop the decoder only releases what its output held back (a possible stop trigger) and
        // runs no further pass: every pass gave a streamed token, and the stream is a strict beginning
        // of the unstopped answer.
        const ref = reference.turn.tokens.map((t) => t[0]);
        assert.deepEqual(streamed, ref.slice(0, streamed.length), "Stop truncates the answer, it never alters it");
        assert.ok(streamed.length < ref.length, `the stopped answer ended early (${streamed.length} of ${ref.length} tokens)`);
        assert.equal(result.stats?.llm.calls, streamed.length, "one forward pass per streamed token: none after Stop");
        // Nothing from the Stop token on reaches the turn (what the view shows).
        const shown = result.turn.tokens.map((t) => t[0]);
        assert.ok(shown.length < STOP_AT, `${shown.length} tokens shown, Stop came at token ${STOP_AT}`);
        assert.deepEqual(shown, streamed.slice(0, shown.length));
        // One count: the stats count the tokens the turn kept, not those the decoder wrote after the Stop.
        assert.equal(result.stats?.totalTokens, shown.length);
        assert.equal(result.stats?.switches, result.turn.switches?.length ?? 0);
        assert.equal(a.isBusy(), false);
        assert.equal(a.status().state, "idle");
    });

    it("Stop from the view: the turn keeps exactly the tokens the view had shown, and its stats, text and trace ids count those", async () => {
        const a = await api();
        let said: { turnId: string; tokens: number; switches: number } | undefined;
        // At a token where the host has sent the view at least 3 tokens, the view says it showed 2.
        const sub = a.onEvent((e, turnId) => {
            const turn = a.conversation().find((t) => t.id === turnId);
            if (e.type !== "token" || said || !turn || turn.tokens.length < 3) return;
            said = { turnId, tokens: 2, switches: (turn.switches ?? []).filter((s) => s.index < 2).length };
            a.stop(said);
        });
        const result = finished(await solve("What is 123 + 456?"));
        sub.dispose();
        assert.ok(said, "the host never had 3 tokens in the turn");
        assert.equal(result.stopReason, "abort");
        assert.equal(result.turn.tokens.length, 2);
        assert.equal(result.turn.tokenIds?.length, 2, "the token ids stay parallel (Export Trace)");
        assert.equal(result.stats?.totalTokens, 2);
        assert.equal((result.stats?.slm.tokens ?? 0) + (result.stats?.llm.tokens ?? 0), 2);
        assert.equal(result.stats?.switches, said.switches);
        assert.equal(result.text, result.turn.tokens.map((t) => t[0]).join(""));
        // The stored turn (what a reload shows and the next question is asked with) is the same.
        const stored = a.conversation().find((t) => t.id === result.turn.id);
        assert.equal(stored?.tokens.length, 2);
        assert.equal(stored?.stats?.totalTokens, 2);
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
