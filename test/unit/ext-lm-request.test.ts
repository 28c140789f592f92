import assert from "node:assert/strict";
import { test } from "node:test";
import { LM_ROLE, panelLink, requestConversation, SHOW_TURN, wantsPanelLink } from "../../src/extension/lm-request.ts";

const { user, assistant, system } = LM_ROLE;

test("a request's last user message is the question, the messages before it the conversation, in order", () => {
    assert.deepEqual(
        requestConversation([
            { role: user, text: "What is 47 * 36?" },
            { role: assistant, text: "1692" },
            { role: user, text: "Now add 100 to that" },
        ]),
        { prompt: "Now add 100 to that", history: [{ role: "user", text: "What is 47 * 36?" }, { role: "assistant", text: "1692" }] },
    );
});

test("system messages become the system prompt; consecutive messages of one role are one turn; empty ones are dropped", () => {
    assert.deepEqual(
        requestConversation([
            { role: system, text: "Be brief." },
            { role: user, text: "Context: a list." },
            { role: user, text: "  " },
            { role: user, text: "Sum it." },
        ]),
        { prompt: "Context: a list.\n\nSum it.", history: [], system: "Be brief." },
    );
});

test("a request that does not end with a user question, or names an unknown role, is refused with a reason", () => {
    const last = requestConversation([{ role: user, text: "q" }, { role: assistant, text: "a" }]);
    assert.ok("error" in last && /last message must be a user message/.test(last.error));
    assert.ok("error" in requestConversation([]));
    const odd = requestConversation([{ role: 7, text: "x" }, { role: user, text: "q" }]);
    assert.ok("error" in odd && /role 7/.test(odd.error));
});

test("the panel link ends answers read in VS Code's chat, not the text other extensions asked for, unless they ask", () => {
    assert.equal(wantsPanelLink({ requestInitiator: "core" }), true);
    assert.equal(wantsPanelLink({ requestInitiator: "github.copilot-chat" }), true);
    assert.equal(wantsPanelLink({ requestInitiator: "someone.commit-writer" }), false);
    assert.equal(wantsPanelLink({}), false);
    assert.equal(wantsPanelLink({ requestInitiator: "someone.commit-writer", modelOptions: { panelLink: true } }), true);
    assert.equal(wantsPanelLink({ requestInitiator: "core", modelOptions: { panelLink: false } }), false);
});

test("the panel link is a command link whose argument is the turn id, JSON-encoded", () => {
    const link = panelLink('id "1"');
    const m = /\]\(command:([^?]+)\?([^ )]+)/.exec(link);
    assert.ok(m, link);
    assert.equal(m[1], SHOW_TURN);
    assert.deepEqual(JSON.parse(decodeURIComponent(m[2])), ['id "1"']);
});
