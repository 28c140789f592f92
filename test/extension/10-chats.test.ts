import * as assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import { EDIT_AND_RESEND, OPEN_CHAT, UNDO_DELETE_CHAT, UNDO_RESEND } from "../../src/extension/chat-commands.ts";
import { conversationMessages } from "../../src/extension/conversation.ts";
import type { Outcome } from "../../src/extension/session.ts";
import { api, finished, resetSettings, setSetting, solve, useTestPair } from "./helpers.ts";

const FIRST = "What is 47 * 36?";
const OTHER = "What is 12 + 5?";
const FOLLOW_UP = "Now add 100 to that";

async function run(command: string, ...args: unknown[]): Promise<Outcome> {
    const outcome = await vscode.commands.executeCommand<Outcome | undefined>(command, ...args);
    if (!outcome) throw new Error(`${command} returned nothing`);
    return outcome;
}

const userTexts = (messages: readonly { role: string; text: string }[] | undefined) => (messages ?? []).filter((m) => m.role === "user").map((m) => m.text);

describe("chats: New Chat, reopen, regenerate, edit and resend", function () {
    let firstChat = "";

    before(async () => {
        await useTestPair();
        await setSetting("tokenBudget", 96);
    });
    after(resetSettings);

    it("New Chat starts empty and keeps the previous chat; after reopening it, a follow-up's prompt holds that chat's question", async () => {
        const a = await api();
        await vscode.commands.executeCommand("rstitch.newChat");
        assert.equal(a.conversation().length, 0, "New Chat is empty");
        finished(await solve(FIRST));
        firstChat = (await a.savedChats()).current;

        await vscode.commands.executeCommand("rstitch.newChat");
        assert.equal(a.conversation().length, 0);
        const other = finished(await solve(OTHER));
        assert.deepEqual(userTexts(other.turn.messages), [OTHER], "a new chat remembers nothing of the one before");
        const listed = (await a.savedChats()).chats;
        assert.deepEqual(listed.slice(0, 2).map((c) => [c.title, c.turns]), [[OTHER, 1], [FIRST, 1]], "both chats are listed, newest first");

        assert.equal(await vscode.commands.executeCommand(OPEN_CHAT, firstChat), true);
        assert.deepEqual(a.conversation().map((t) => t.prompt), [FIRST], "the reopened chat's turns are back");
        const follow = finished(await solve(FOLLOW_UP));
        assert.deepEqual(userTexts(follow.turn.messages), [FIRST, FOLLOW_UP], "the follow-up was asked with the reopened chat's question");
        assert.equal(follow.turn.messages?.[1]?.role, "assistant", "and its answer");
    });

    it("Regenerate replaces the last answer: the models see the same conversation, and memory gains no turn", async () => {
        const a = await api();
        const before = a.conversation().map((t) => t.id);
        const last = a.conversation().at(-1)!;
        const memory = conversationMessages(a.conversation()).length;
        const again = finished(await run("rstitch.regenerate", last.id));
        const after = a.conversation();
        assert.equal(after.length, before.length, "no turn added");
        assert.deepEqual(after.slice(0, -1).map((t) => t.id), before.slice(0, -1), "the turns before it stay");
        assert.notEqual(after.at(-1)!.id, last.id, "the last turn was replaced");
        assert.equal(after.at(-1)!.prompt, FOLLOW_UP);
        assert.deepEqual(again.turn.messages, last.messages, "the models were given the same conversation as before");
        assert.equal(conversationMessages(after).length, memory, "memory holds the question once, with one answer");

        const stale = await run("rstitch.regenerate", before[0]);
        assert.equal(stale.status, "refused", "only the last answer can be regenerated");
    });

    it("edit and resend drops the turns after the edited question, and Undo brings them back", async () => {
        const a = await api();
        finished(await solve("And times 2?"));
        const before = a.conversation().map((t) => t.id);
        assert.equal(before.length, 3);
        const edited = "What is 12 * 3?";
        const resent = finished(await run(EDIT_AND_RESEND, before[1], edited));
        assert.deepEqual(a.conversation().map((t) => t.id), [before[0], resent.turn.id], "the edited turn and the one after it are replaced");
        assert.deepEqual(userTexts(resent.turn.messages), [FIRST, edited], "the new question follows the turn before it, not the dropped ones");

        assert.equal(await vscode.commands.executeCommand(UNDO_RESEND), true);
        assert.deepEqual(a.conversation().map((t) => t.id), before, "Undo restores the replaced turns, in order");
        assert.equal(await vscode.commands.executeCommand(UNDO_RESEND), false, "and only once");
    });

    it("the chats are saved where a restart reads them: the same turns, renamed and deleted with Undo", async () => {
        const a = await api();
        const saved = await a.savedChats();
        assert.equal(saved.current, firstChat, "the reopened chat is the open one");
        assert.equal(saved.problem, undefined);
        const turns = saved.turns(firstChat);
        assert.ok(Array.isArray(turns), `the chat's file reads back: ${String(turns)}`);
        assert.deepEqual(turns.map((t) => [t.id, t.prompt, t.state, t.tokens.length]), a.conversation().map((t) => [t.id, t.prompt, t.state, t.tokens.length]));
        assert.deepEqual(turns.at(-1)?.messages, a.conversation().at(-1)?.messages, "with the conversation each answer was given");

        assert.equal(await vscode.commands.executeCommand("rstitch.renameChat", firstChat, "  Arithmetic   drill "), true);
        assert.equal((await a.savedChats()).chats.find((c) => c.id === firstChat)?.title, "Arithmetic drill");

        const ids = a.conversation().map((t) => t.id);
        assert.equal(await vscode.commands.executeCommand("rstitch.deleteChat", firstChat), true);
        assert.equal(a.conversation().length, 0, "deleting the open chat leaves an empty one");
        assert.ok(!(await a.savedChats()).chats.some((c) => c.id === firstChat), "and it is no longer listed");
        assert.equal(await vscode.commands.executeCommand(UNDO_DELETE_CHAT), true);
        assert.deepEqual(a.conversation().map((t) => t.id), ids, "Undo brings it back, open");
        assert.equal((await a.savedChats()).chats.find((c) => c.id === firstChat)?.title, "Arithmetic drill");
    });

    it("a damaged list of chats reads as an empty list with a short reason; the next save writes a good one", async () => {
        const a = await api();
        const { dir } = await a.savedChats();
        const index = join(dir, "index.json");
        const good = readFileSync(index, "utf8");
        writeFileSync(index, '{"v":1,"chats":[{"id":');
        try {
            const damaged = await a.savedChats(false);
            assert.deepEqual(damaged.chats.filter((c) => c.id !== damaged.current), []);
            assert.match(damaged.problem ?? "", /^the list of saved chats could not be read \(.+\), so it starts empty$/);
            // Show Chats… with it open says so and lists what it can: no exception reaches the editor.
            await vscode.commands.executeCommand("rstitch.showChats");
            await vscode.commands.executeCommand("workbench.action.closeQuickOpen");
            finished(await solve("What is 3 + 4?"));
            const after = await a.savedChats();
            assert.equal(after.problem, undefined, "the next save wrote a readable list");
            assert.deepEqual(after.chats.map((c) => c.id), [after.current]);
        } finally {
            writeFileSync(index, good);
        }
    });
});
