/** `rstitch solve --trace FILE` on the real demo pair: the file holds exactly the answer the CLI printed. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parseTrace, type Trace } from "../../src/trace.ts";

const CLI = "dist/cli.js";
const DEMO = ["--slm", "models/demo-slm.gguf", "--llm", "models/demo-llm.gguf", "--threads", "1"];
// The demo SLM is unsure in places here at the default τ: both models write, with switches.
const PROBLEM = "What is 86 * 79?";

function rstitch(args: string[]) {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 180_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Replays the switches over the tokens: the model each position must come from. */
function sourcesBySwitches(trace: Trace): string[] {
    let active = trace.tokens[0]?.source;
    let k = 0;
    return trace.tokens.map((_, i) => {
        while (k < trace.switches.length && trace.switches[k].index <= i) active = trace.switches[k++].to;
        return active;
    });
}

test("solve --trace writes the printed answer token by token, with switches that agree with the sources", { skip: !existsSync("models/demo-slm.gguf") && "no demo pair" }, (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), "rstitch-trace-"));
    ctx.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "answer.trace.json");
    const r = rstitch(["solve", ...DEMO, "--trace", file, PROBLEM]);
    assert.equal(r.code, 0, r.stderr);
    const parsed = parseTrace(readFileSync(file, "utf8"));
    assert.ok(parsed.ok, parsed.ok ? "" : parsed.reason);
    const t = parsed.trace;

    // Text mode prints the output, a blank line, then the stats line.
    const statsLine = r.stdout.trimEnd().split("\n").pop()!;
    const printed = r.stdout.slice(0, r.stdout.lastIndexOf(statsLine)).replace(/\n?\n$/, "");
    assert.equal(t.tokens.map((x) => x.text).join("").replace(/\n$/, ""), printed);
    assert.equal(t.prompt, PROBLEM);
    assert.equal(t.models, "demo-slm + demo-llm");
    assert.equal(t.mode, "stitch");
    assert.equal(t.budget, 512);
    assert.match(printed, new RegExp(`Answer: ${t.answer}\\s*$`));

    // Both models wrote, and the sources are exactly what the switches say.
    const slm = t.tokens.filter((x) => x.source === "slm").length;
    assert.ok(slm > 0 && slm < t.tokens.length, `want both models, got SLM ${slm} of ${t.tokens.length}`);
    assert.ok(t.switches.length > 0);
    assert.deepEqual(t.tokens.map((x) => x.source), sourcesBySwitches(t));
    for (let k = 1; k < t.switches.length; k++) assert.equal(t.switches[k].from, t.switches[k - 1].to, `switch ${k} chains on`);
    for (const s of t.switches) {
        // R-Stitch's rule: the SLM hands over above τ, the LLM hands back at or below it.
        if (s.from === "slm") assert.ok(s.entropy > t.threshold, `SLM handed over at H = ${s.entropy}`);
        else assert.ok(s.entropy <= t.threshold, `LLM handed back at H = ${s.entropy}`);
    }
    assert.equal(t.stats.switches, t.switches.length);
    assert.equal(t.stats.slm.tokens, slm);
    assert.equal(t.stats.totalTokens, t.tokens.length);
    assert.match(statsLine, new RegExp(`^${t.tokens.length} tokens: SLM ${slm}, LLM ${t.tokens.length - slm} .* · ${t.switches.length} switches · `));
    assert.ok(t.tokens.every((x) => Number.isInteger(x.id) && x.id >= 0));
});

test("solve --trace into a missing folder is refused before the models load", () => {
    const r = rstitch(["solve", ...DEMO, "--trace", "/no/such/folder/t.json", PROBLEM]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--trace \/no\/such\/folder\/t\.json: the folder \/no\/such\/folder does not exist/);
    assert.ok(!r.stderr.includes("    at "), r.stderr);
});
