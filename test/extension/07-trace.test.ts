import * as assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import type { SwitchEvent, TokenEvent } from "../../src/stitch/events.ts";
import { MAX_TURNS } from "../../src/extension/conversation.ts";
import type { TraceOutcome } from "../../src/extension/trace-commands.ts";
import { parseTrace, traceJson } from "../../src/trace.ts";
import { api, finished, resetSettings, setSetting, solve, useTestPair } from "./helpers.ts";

/** The demo SLM is unsure in places here at the default τ: both models write, with switches. */
const HARD_PROBLEM = "What is 86 * 79?";

const run = (command: string, ...args: unknown[]) => vscode.commands.executeCommand<TraceOutcome>(command, ...args);

describe("Export Trace… and Open Trace…", function () {
    // Made in before(), not at load: mocha runs describe bodies even when a grep skips every test here.
    let dir = "";
    before(async () => {
        dir = mkdtempSync(join(tmpdir(), "rstitch-trace-"));
        await useTestPair();
        await setSetting("tokenBudget", 160);
    });
    after(async () => {
        await resetSettings();
        rmSync(dir, { recursive: true, force: true });
    });

    it("exports a turn as it was decoded (ids, switches, stats) and opens it again as a read-only turn", async () => {
        const a = await api();
        const tokens: TokenEvent[] = [];
        const switches: SwitchEvent[] = [];
        const sub = a.onEvent((e) => {
            if (e.type === "token") tokens.push(e);
            if (e.type === "switch") switches.push(e);
        });
        const result = finished(await solve(HARD_PROBLEM));
        sub.dispose();
        const turn = a.conversation().find((t) => t.id === result.turn.id)!;
        assert.ok(switches.length > 0, "the demo pair switched models on this problem");

        const file = join(dir, "answer.json");
        const exported = await run("rstitch.exportTrace", turn.id, vscode.Uri.file(file));
        assert.ok(exported?.ok, JSON.stringify(exported));
        const parsed = parseTrace(readFileSync(file, "utf8"));
        assert.ok(parsed.ok, parsed.ok ? "" : parsed.reason);
        const t = parsed.trace;
        // Equal to what the turn holds, and to what the decoder emitted.
        assert.deepEqual(t.tokens.map((x) => [x.text, x.source, x.entropy]), turn.tokens.map(([text, source, entropy]) => [text, source, entropy]));
        assert.deepEqual(t.tokens.map((x) => x.id), tokens.map((e) => e.id));
        // Each switch keeps why it happened (the routing's reason) where the decoder gave one.
        assert.deepEqual(t.switches, switches.map(({ index, from, to, entropy, reason }) => ({ index, from, to, entropy, ...(reason === undefined ? {} : { reason }) })));
        assert.ok(t.switches.every((s) => typeof s.reason === "string" && s.reason.length > 0), "every switch says why");
        assert.deepEqual(t.switches, turn.switches);
        assert.deepEqual(t.stats, turn.stats);
        assert.equal(t.stats.switches, switches.length);
        assert.equal(t.answer, turn.answer);
        assert.equal(t.stopReason, turn.stopReason);
        assert.equal(t.prompt, HARD_PROBLEM);
        assert.equal(t.models, turn.models);
        assert.equal(t.mode, turn.mode);
        assert.equal(t.threshold, turn.threshold);
        assert.equal(t.budget, 160);

        const before = a.conversation().length;
        const opened = await run("rstitch.openTrace", vscode.Uri.file(file));
        assert.ok(opened?.ok, JSON.stringify(opened));
        const all = a.conversation();
        // One turn more, or the same count when the conversation was at its cap (the oldest made room).
        assert.equal(all.length, Math.min(before + 1, MAX_TURNS));
        const shown = all.at(-1)!;
        assert.equal(shown.openedFrom, "answer.json");
        assert.equal(shown.state, "done");
        assert.deepEqual(shown.tokens, turn.tokens);
        assert.deepEqual(shown.switches, turn.switches);
        assert.deepEqual(shown.stats, turn.stats);

        // Exported again, the opened turn writes the same file.
        const again = join(dir, "again.json");
        assert.ok((await run("rstitch.exportTrace", shown.id, again))?.ok);
        assert.equal(readFileSync(again, "utf8"), readFileSync(file, "utf8"));
    });

    it("refuses a bad trace file with one short message naming it; the conversation keeps every turn", async () => {
        const a = await api();
        const good = JSON.parse(readFileSync(join(dir, "answer.json"), "utf8"));
        const write = (name: string, content: string | Buffer) => {
            writeFileSync(join(dir, name), content);
            return join(dir, name);
        };
        mkdirSync(join(dir, "folder.json"), { recursive: true });
        const cases: [string, RegExp][] = [
            [write("broken.json", traceJson(good).slice(0, 200)), /"broken\.json": it is not JSON/],
            [write("entropy.json", JSON.stringify({ ...good, tokens: [{ ...good.tokens[0], entropy: 7 }] })), /"entropy\.json": tokens\[0\]\.entropy is 7, outside 0–1\.$/],
            [write("other.json", JSON.stringify({ hello: "world" })), /"other\.json": it is not an R-Stitch trace/],
            [write("future.json", JSON.stringify({ ...good, version: 9 })), /"future\.json": it is a version 9 trace; .*update R-Stitch/],
            [write("latin1.json", Buffer.from([0x7b, 0xe9, 0x7d])), /"latin1\.json": it is not UTF-8 text/],
            [join(dir, "missing.json"), /"missing\.json": it cannot be read/],
            [join(dir, "folder.json"), /"folder\.json": it is a folder/],
        ];
        const ids = a.conversation().map((t) => t.id);
        for (const [file, message] of cases) {
            const r = await run("rstitch.openTrace", vscode.Uri.file(file));
            assert.ok(r && !r.ok, `${file} was opened`);
            if (r && !r.ok) {
                assert.match(r.message, /^R-Stitch: cannot open the trace /);
                assert.match(r.message, message);
                assert.ok(r.message.length < 240 && !r.message.includes("\n"), `not one short line: ${r.message}`);
            }
            assert.deepEqual(a.conversation().map((t) => t.id), ids, `the conversation changed after ${file}`);
        }
    });
});
