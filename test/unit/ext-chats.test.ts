import assert from "node:assert/strict";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { MAX_CHATS } from "../../src/extension/chat-store.ts";
import type { Turn } from "../../src/protocol.ts";
import { chatPlace } from "../support/chat-place.ts";

const turn = (id: string, prompt = `q${id}`): Turn => ({
    id, kind: "solve", prompt, mode: "stitch", threshold: 0.1, models: "a + b", state: "done",
    tokens: [["x", "slm", 0.5]], messages: [{ role: "user", text: prompt }],
});

/** A clock that moves one second per look, so every save is later than the one before. */
function clock(start = 1_700_000_000_000) {
    let t = start;
    return () => (t += 1000);
}

test("New Chat keeps the previous chat in the list, titled by its first question; reopening brings its turns back", async () => {
    const place = chatPlace();
    const c = place.open(clock());
    c.add(turn("1", "What is 47 * 36?\nplease"));
    c.add(turn("2", "Now add 100 to that"));
    const first = c.chatId;
    await c.newChat();
    assert.notEqual(c.chatId, first);
    assert.equal(c.all().length, 0);
    const listed = c.chats().chats;
    assert.deepEqual(listed.map((x) => [x.id, x.title, x.turns]), [[first, "What is 47 * 36? please", 2]], "the empty new chat is not listed");

    c.add(turn("3"));
    assert.equal(await c.open(first), undefined);
    assert.deepEqual(c.all().map((t) => t.id), ["1", "2"]);
    assert.deepEqual(c.all()[0].messages, [{ role: "user", text: "What is 47 * 36?\nplease" }], "the host's own fields survive the store");
    assert.equal(c.chats().chats.length, 2, "the chat left for it is saved too");
});

test("the open chat is the workspace's: a restart reopens it", async () => {
    const place = chatPlace();
    const c = place.open(clock());
    c.add(turn("1"));
    await c.newChat();
    c.add(turn("2"));
    await c.save();
    const again = place.open();
    assert.equal(again.chatId, c.chatId);
    assert.deepEqual(again.all().map((t) => t.id), ["2"]);
    assert.equal(again.chats().chats.length, 2);
    assert.deepEqual(again.problems, []);
});

test("rename sticks (the title no longer follows the first question); delete removes the chat and its file, and Undo brings both back", async () => {
    const place = chatPlace();
    const c = place.open(clock());
    c.add(turn("1"));
    await c.save();
    const id = c.chatId;
    await c.rename(id, "Arithmetic");
    await c.newChat();
    assert.equal(c.chats().chats[0].title, "Arithmetic");
    assert.equal(place.open().chats().chats[0].title, "Arithmetic");

    const removed = await c.remove(id);
    assert.ok(removed);
    assert.equal(c.chats().chats.length, 0);
    assert.deepEqual(readdirSync(place.dir), ["index.json"]);
    await c.restoreChat(removed);
    assert.equal(c.chats().chats[0].title, "Arithmetic");
    assert.equal(await c.open(id), undefined);
    assert.deepEqual(c.all().map((t) => t.id), ["1"]);
});

test("deleting the open chat leaves an empty one open", async () => {
    const place = chatPlace();
    const c = place.open(clock());
    c.add(turn("1"));
    const id = c.chatId;
    const removed = await c.remove(id);
    assert.deepEqual(removed?.turns.map((t) => t.id), ["1"]);
    assert.notEqual(c.chatId, id);
    assert.equal(c.all().length, 0);
    assert.equal(c.chats().chats.length, 0);
});

test(`at most ${MAX_CHATS} chats are kept: the least recently used are pruned with their files`, async () => {
    const place = chatPlace();
    const c = place.open(clock());
    const ids: string[] = [];
    for (let i = 0; i < MAX_CHATS + 3; i++) {
        ids.push(c.chatId);
        c.add(turn(String(i)));
        await c.newChat();
    }
    const kept = c.chats().chats.map((x) => x.id);
    assert.equal(kept.length, MAX_CHATS);
    assert.deepEqual(kept, ids.slice(3).reverse(), "newest first, the three oldest gone");
    assert.equal(readdirSync(place.dir).filter((f) => f !== "index.json").length, MAX_CHATS);
});

test("a corrupt list of chats yields an empty list and one short reason, never an exception", () => {
    const bad = [{ v: 1, chats: [{ id: "a", title: "t", createdAt: "yesterday", updatedAt: 1, turns: 1 }] }, { v: 2, chats: [] }, "nonsense", null].map((v) => JSON.stringify(v));
    for (const text of [...bad, '{"v":1,"chats":[', ""]) {
        const place = chatPlace();
        mkdirSync(place.dir, { recursive: true });
        writeFileSync(place.index, text);
        const c = place.open();
        assert.deepEqual(c.chats().chats, []);
        assert.equal(c.problems.length, 1);
        assert.match(c.problems[0], /^the list of saved chats could not be read \(.{3,80}\), so it starts empty$/);
        assert.doesNotMatch(c.problems[0], /\n|at .*\.ts/, "no stack");
    }
});

test("a chat whose file is damaged is not opened: the reason is given, the open chat stays", async () => {
    const place = chatPlace();
    const c = place.open(clock());
    c.add(turn("1"));
    await c.save();
    const damaged = c.chatId;
    await c.newChat();
    c.add(turn("2"));
    writeFileSync(join(place.dir, `${damaged}.json`), '{"v":1,"id":"x","turns":[{"id":3}]');
    assert.match((await c.open(damaged)) ?? "", /could not be read \(.*JSON/);
    assert.deepEqual(c.all().map((t) => t.id), ["2"]);
    writeFileSync(join(place.dir, `${damaged}.json`), JSON.stringify({ v: 1, id: damaged, turns: [{ ...turn("3"), tokens: [["x", "slm", "high"]] }] }));
    assert.match((await c.open(damaged)) ?? "", /tokens\[0\] entropy is not a number/);
    // At a restart with the damaged chat open: an empty chat and the reason.
    place.workspace.data.set("rstitch.currentChat.v1", damaged);
    const again = place.open();
    assert.equal(again.all().length, 0);
    assert.match(again.problems.join(), /tokens\[0\] entropy is not a number/);
});

test("the conversation of an earlier version moves into the store once", async () => {
    const place = chatPlace();
    place.workspace.data.set("rstitch.conversation.v1", [turn("1"), { id: 2 }]);
    const c = place.open();
    assert.deepEqual(c.all().map((t) => t.id), ["1"]);
    await c.save();
    assert.equal(place.workspace.data.get("rstitch.conversation.v1"), undefined);
    assert.deepEqual(place.open().all().map((t) => t.id), ["1"]);
});

test("dropFrom removes a turn and those after it; replaceFrom (Undo) puts them back in place of what came since", () => {
    const c = chatPlace().open();
    for (const id of ["1", "2", "3"]) c.add(turn(id));
    assert.deepEqual(c.dropFrom("2").map((t) => t.id), ["2", "3"]);
    c.add(turn("2b"));
    c.replaceFrom(1, [turn("2"), turn("3")]);
    assert.deepEqual(c.all().map((t) => t.id), ["1", "2", "3"]);
    assert.deepEqual(c.dropFrom("nope"), []);
});
