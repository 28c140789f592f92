import assert from "node:assert/strict";
import { test } from "node:test";
import { MODE_TABLE, MODES } from "../../src/modes.ts";
import type { Turn } from "../../src/protocol.ts";
import { ChatModel } from "../../webview/model.ts";
import { checkHostMessage, savedTurns } from "../../webview/validate.ts";

const turn: Turn = { id: "a", kind: "solve", prompt: "q", mode: "stitch", threshold: 0.1, models: "s + l", tokens: [], state: "running" };
const sw = (index: number, from: "slm" | "llm", to: "slm" | "llm") => ({ index, from, to, entropy: 0.2 });

test("switches cross the view's boundary with the tokens and land in the turn the timeline draws", () => {
    const m = new ChatModel();
    m.apply({ type: "turnStart", turn });
    for (const data of [
        { type: "tokens", turnId: "a", tokens: [["1", "slm", 0.3]], switches: [sw(1, "slm", "llm")] },
        { type: "tokens", turnId: "a", tokens: [["2", "llm", 0]], switches: [sw(2, "llm", "slm"), sw(2, "slm", "llm")] },
        { type: "tokens", turnId: "a", tokens: [["3", "llm", 0]] },
    ]) {
        const checked = checkHostMessage(data);
        assert.ok(checked.ok, checked.ok ? "" : checked.reason);
        m.apply(checked.msg);
    }
    assert.deepEqual(m.find("a")!.switches!.map((s) => `${s.index}:${s.to}`), ["1:llm", "2:slm", "2:llm"]);
});

test("a malformed switch is refused; a turn's switches and trace file name survive a saved state", () => {
    const bad = checkHostMessage({ type: "tokens", turnId: "a", tokens: [], switches: [{ index: "1", from: "slm", to: "llm", entropy: 0 }] });
    assert.ok(!bad.ok && /switches\[0\]\.index is not a number/.test(bad.reason));
    const bad2 = checkHostMessage({ type: "tokens", turnId: "a", tokens: [], switches: [sw(1, "slm", "gpt" as "llm")] });
    assert.ok(!bad2.ok && /switches\[0\]\.to is not one of slm, llm/.test(bad2.reason));
    // A trace from the CLI may hold any mode of the table, one the editor does not offer too.
    const cliOnly = MODES.find((m) => !MODE_TABLE[m].editor) ?? MODES[0];
    const [t] = savedTurns([{ ...turn, state: "done", switches: [sw(3, "slm", "llm")], openedFrom: "t.json", mode: cliOnly }]);
    assert.deepEqual(t.switches, [sw(3, "slm", "llm")]);
    assert.equal(t.openedFrom, "t.json");
    assert.equal(t.mode, cliOnly);
});
