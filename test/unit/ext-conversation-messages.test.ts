/** What the models are given of the chat before a new question: answered turns, in order, answers without their thinking. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { conversationMessages } from "../../src/extension/conversation.ts";
import type { Turn } from "../../src/protocol.ts";

const turn = (prompt: string, text: string, extra: Partial<Turn> = {}): Turn => ({
    id: prompt, kind: "solve", prompt, mode: "stitch", threshold: 0.02, models: "a + b",
    tokens: [...text].map((c) => [c, "slm", 0] as [string, "slm", number]), state: "done", ...extra,
});

test("answered turns in order; a reasoning answer without its thinking; failed, empty, opened-from-file and asked-in-VS-Code-chat turns left out", () => {
    const turns = [
        turn("What is 47 * 36?", "<think>47*36 = 1692</think>\n\nAnswer: 1692"),
        turn("broken", "", { state: "error", error: "no models" }),
        turn("opened", "Answer: 3", { openedFrom: "a.trace.json" }),
        turn("asked in VS Code's chat", "Answer: 4", { askedIn: "vscode-chat" }),
        turn("stopped early", "It is", { stopReason: "abort" }),
        turn("Now add 100 to that", "1792"),
        turn("running", "", { state: "running" }),
    ];
    assert.deepEqual(conversationMessages(turns), [
        { role: "user", text: "What is 47 * 36?" },
        { role: "assistant", text: "Answer: 1692" },
        { role: "user", text: "stopped early" },
        { role: "assistant", text: "It is" },
        { role: "user", text: "Now add 100 to that" },
        { role: "assistant", text: "1792" },
    ]);
});
