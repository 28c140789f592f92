/** `rstitch solve --trace FILE` on the real demo pair: the file holds exactly the answer the CLI printed. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, describe, test } from "node:test";
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

describe("a --trace value that is not a file to write is refused before the models load: exit 2, a message, nothing written", () => {
    const cwd = mkdtempSync(join(tmpdir(), "rstitch-bad-trace-"));
    after(() => rmSync(cwd, { recursive: true, force: true }));
    writeFileSync(join(cwd, "a-file"), "");
    mkdirSync(join(cwd, "a-folder"));
    const readOnly = join(cwd, "read-only");
    mkdirSync(readOnly, { mode: 0o555 });
    // Root writes into any folder, so as root that case runs as nobody (the folder must be enterable for it).
    const nobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    chmodSync(cwd, 0o755);
    const fix = `put the file name right after --trace: rstitch solve --trace answer.trace.json "What is 86 \\* 79\\?"`;

    for (const [what, args, message, as] of [
        // The file name forgotten: the problem must not become the file (it did, then "The problem is empty").
        ["the problem where the file name goes", ["--trace", PROBLEM], new RegExp(`--trace "What is 86 \\* 79\\?" looks like the problem, not a file name; ${fix}`)],
        ["the problem as the file name, and another problem", ["--trace", "What is 12 + 34?", PROBLEM], /--trace "What is 12 \+ 34\?" looks like the problem/],
        ["the problem, with no other, where the file name goes", ["--trace", "Explain what a hash map is"], /The problem is empty; .*--trace took "Explain what a hash map is" as the trace file's name; put the file name right after --trace/],
        ["no value at the end", [PROBLEM, "--trace"], /^rstitch: --trace needs a file name after it, e\.g\. rstitch solve --trace answer\.trace\.json/],
        ["another option where the value goes", ["--trace", "--json", PROBLEM], /^rstitch: --trace needs a file name after it, e\.g\. .*--trace=VALUE/],
        ["an empty value", ["--trace", "", PROBLEM], /--trace needs a file name, e\.g\. rstitch solve --trace answer\.trace\.json/],
        ["a folder", ["--trace", "a-folder", PROBLEM], /--trace a-folder is a folder; give a file name inside it\./],
        ["a folder name that does not exist yet", ["--trace", "new-folder/", PROBLEM], /--trace new-folder\/ is a folder; give a file name inside it\./],
        ["a file in a folder that does not exist", ["--trace", "/no/such/folder/t.json", PROBLEM], /--trace \/no\/such\/folder\/t\.json: the folder \/no\/such\/folder does not exist; create it or choose another\./],
        ["a file inside a file", ["--trace", "a-file/t.json", PROBLEM], /--trace a-file\/t\.json: .*a-file is a file, not a folder\./],
        ["a folder that cannot be written to", ["--trace", "read-only/t.json", PROBLEM], /--trace read-only\/t\.json: the folder .*read-only cannot be written to; choose a file where you can write\./, nobody],
    ] as const) {
        test(what, () => {
            const before = readdirSync(cwd, { recursive: true }).sort();
            const r = spawnSync(process.execPath, [resolve(CLI), "solve", ...args], { cwd, input: "", encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 60_000, ...as });
            assert.equal(r.status, 2, r.stderr);
            assert.match(r.stderr, message);
            assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
            assert.doesNotMatch(r.stderr, /\n\s+at |ambiguous|EISDIR|ENOENT/);
            assert.equal(r.stdout, "");
            assert.deepEqual(readdirSync(cwd, { recursive: true }).sort(), before, "nothing written");
        });
    }
});
