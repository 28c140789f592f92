import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { LM_VENDOR, SHOW_TURN } from "../../src/extension/lm-request.ts";
import { api, finished, resetSettings, setSetting, solve, useTestPair } from "./helpers.ts";

const QUESTION = "What is 58 * 27?";

/** Whether this editor lets extensions contribute models (1.104+); the stable @types here are 1.90's. */
function hasProviderApi(): boolean {
    return typeof (vscode.lm as { registerLanguageModelChatProvider?: unknown } | undefined)?.registerLanguageModelChatProvider === "function";
}

async function rstitchModel(): Promise<vscode.LanguageModelChat> {
    const models = await vscode.lm.selectChatModels({ vendor: LM_VENDOR });
    assert.equal(models.length, 1, `one R-Stitch model, got ${models.map((m) => m.name).join(", ") || "none"}`);
    return models[0];
}

/** Sends a request and reads its whole text stream; a cancelled stream may end by rejecting. */
async function ask(model: vscode.LanguageModelChat, messages: vscode.LanguageModelChatMessage[], options: vscode.LanguageModelChatRequestOptions = {}, token = new vscode.CancellationTokenSource().token): Promise<string> {
    const response = await model.sendRequest(messages, options, token);
    let text = "";
    try {
        for await (const piece of response.text) text += piece;
    } catch (err) {
        if (!token.isCancellationRequested) throw err;
    }
    return text;
}

const textOf = (turn: { tokens: readonly (readonly [string, ...unknown[]])[] }) => turn.tokens.map((t) => t[0]).join("");

describe("R-Stitch as a language model of VS Code (vscode.lm)", function () {
    before(async function () {
        if (!hasProviderApi()) {
            console.log(`skipped: VS Code ${vscode.version} has no Language Model Chat Provider API (1.104 and later), so R-Stitch registers no model here`);
            this.skip();
        }
        await useTestPair();
        await setSetting("tokenBudget", 160);
    });
    after(resetSettings);

    it("vscode.lm.selectChatModels finds \"R-Stitch (SLM + LLM)\" by its vendor", async () => {
        const model = await rstitchModel();
        assert.equal(model.name, "R-Stitch (SLM + LLM)");
        assert.equal(model.vendor, LM_VENDOR);
        assert.ok(model.maxInputTokens > 0);
    });

    it("a request streams exactly the text the panel gives for the same question, and its turn shows in the panel marked as asked in VS Code's chat", async () => {
        const a = await api();
        // Both asked with no earlier turns.
        await vscode.commands.executeCommand("rstitch.clearConversation");
        const panel = finished(await solve(QUESTION));
        await vscode.commands.executeCommand("rstitch.clearConversation");

        const streamed = await ask(await rstitchModel(), [vscode.LanguageModelChatMessage.User(QUESTION)], { modelOptions: { panelLink: false } });
        assert.ok(streamed.length > 0);
        assert.equal(streamed, textOf(panel.turn), "same text as the panel's turn");
        const last = a.lastResult();
        assert.ok(last && last.turn.askedIn === "vscode-chat", "the turn is marked as asked in VS Code's chat");
        assert.equal(last.turn.prompt, QUESTION);
        assert.equal(textOf(last.turn), streamed, "and holds what was streamed");
        assert.ok(a.conversation().some((t) => t.id === last.turn.id), "the turn is in the panel's conversation");
    });

    it("the request's earlier messages are the conversation the models are given", async () => {
        const a = await api();
        const messages = [
            vscode.LanguageModelChatMessage.User("What is 47 * 36?"),
            vscode.LanguageModelChatMessage.Assistant("Answer: 1692"),
            vscode.LanguageModelChatMessage.User("Now add 100 to that"),
        ];
        await ask(await rstitchModel(), messages, { modelOptions: { panelLink: false } });
        assert.deepEqual(a.lastResult()?.turn.messages, [
            { role: "user", text: "What is 47 * 36?" },
            { role: "assistant", text: "Answer: 1692" },
            { role: "user", text: "Now add 100 to that" },
        ]);
    });

    it("the answer can end with a link that shows the same turn in the R-Stitch panel", async () => {
        const a = await api();
        const streamed = await ask(await rstitchModel(), [vscode.LanguageModelChatMessage.User(QUESTION)], { modelOptions: { panelLink: true } });
        const turn = a.lastResult()!.turn;
        const m = /\[Open in the R-Stitch panel\]\(command:([^?]+)\?([^ )]+)[^)]*\)$/.exec(streamed);
        assert.ok(m, `ends with the panel link: ${JSON.stringify(streamed.slice(-160))}`);
        assert.equal(streamed.slice(0, m.index).trimEnd(), textOf(turn).trimEnd(), "the answer before the link is the turn's text");
        assert.equal(m[1], SHOW_TURN);
        const args = JSON.parse(decodeURIComponent(m[2])) as unknown[];
        assert.deepEqual(args, [turn.id]);
        assert.equal(await vscode.commands.executeCommand<boolean>(SHOW_TURN, ...args), true, "the link's command finds the turn");
        assert.equal(await vscode.commands.executeCommand<boolean>(SHOW_TURN, "no-such-turn"), false);
    });

    it("cancelling a request stops the decoder at once", async () => {
        const a = await api();
        await rstitchModel();
        // The provider itself, in this process: a cancel sent through vscode.lm crosses to the main
        // thread and back, so it could arrive after a short answer ended. Here it reaches the provider
        // at the first decoded token, synchronously, as the editor's cancel does once it arrives.
        const provider = a.languageModel();
        assert.ok(provider, "the provider is registered");
        const info = (await provider.provideLanguageModelChatInformation({ silent: true }, new vscode.CancellationTokenSource().token))![0];
        const cts = new vscode.CancellationTokenSource();
        let tokens = 0;
        const sub = a.onEvent((e) => {
            if (e.type === "token" && ++tokens === 1) cts.cancel();
        });
        try {
            await provider.provideLanguageModelChatResponse(info, [vscode.LanguageModelChatMessage.User(QUESTION)] as never, { modelOptions: { panelLink: false } } as never,
                { report: () => undefined }, cts.token);
        } finally {
            sub.dispose();
        }
        const last = a.lastResult()!;
        assert.equal(last.turn.askedIn, "vscode-chat");
        assert.equal(last.stopReason, "abort", "the decoder stopped");
        const full = a.conversation().find((t) => t.askedIn === "vscode-chat" && t.prompt === QUESTION && t.stopReason !== "abort");
        assert.ok(full, "an uncancelled answer to the same question is in the panel");
        assert.ok(last.turn.tokens.length < full.tokens.length, `stopped after ${last.turn.tokens.length} of ${full.tokens.length} tokens`);
        assert.equal(a.isBusy(), false);
    });

    it("counts tokens with the pair's tokenizer", async () => {
        const model = await rstitchModel();
        const one = await model.countTokens(QUESTION);
        const two = await model.countTokens(`${QUESTION} ${QUESTION}`);
        assert.ok(Number.isInteger(one) && one > 0, `count ${one}`);
        assert.ok(two > one, `${two} > ${one}`);
        assert.equal(await model.countTokens(vscode.LanguageModelChatMessage.User(QUESTION)), one, "a message counts as its text");
    });
});
