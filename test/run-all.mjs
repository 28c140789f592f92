// `npm test`: every suite, in order — unit, decoder and CLI tests (node's test runner), then the
// real-editor tests (code-server + Chromium). Each suite first installs what it needs (llama.cpp's
// tools; the editor toolchain), so a fresh machine needs nothing else, and every test must run:
// a skipped test here means something the suite needs was missing, and fails the run.
// Prints each suite's output as it comes, then one line per suite with its passed, failed, skipped
// and todo counts, and ends with one plain line "N passed, N failed" (", N skipped" when any were)
// over all of them, which CI reads; exits non-zero on any failure, skip or missing summary.
import { spawn } from "node:child_process";

function run(command, args) {
    return new Promise((resolve) => {
        const child = spawn(command, args, { stdio: ["inherit", "pipe", "inherit"] });
        let out = "";
        child.stdout.on("data", (chunk) => {
            process.stdout.write(chunk);
            out += chunk;
        });
        child.on("close", (code) => resolve({ code: code ?? 1, out }));
    });
}

function lastNumber(text, pattern) {
    const matches = [...text.matchAll(pattern)];
    return matches.length ? Number(matches[matches.length - 1][1]) : undefined;
}

const sum = (a, b) => (a === undefined || b === undefined ? undefined : a + b);

const suites = [
    {
        name: "unit, decoder and CLI tests",
        // llama.cpp's own llama-server and llama-speculative: the benchmark's peers and the remote-LLM
        // lane's server, built once from the source inside node-llama-cpp and cached.
        setup: ["bash", [".ci/install-llama.sh"]],
        command: ["npm", ["run", "-s", "test:node"]],
        // node --test's closing diagnostics; a cancelled test (its hook failed, or it timed out) failed.
        counts: (out) => ({
            passed: lastNumber(out, /^# pass (\d+)$/gm),
            failed: sum(lastNumber(out, /^# fail (\d+)$/gm), lastNumber(out, /^# cancelled (\d+)$/gm)),
            skipped: lastNumber(out, /^# skipped (\d+)$/gm),
            todo: lastNumber(out, /^# todo (\d+)$/gm),
        }),
    },
    {
        name: "real-editor tests",
        setup: ["bash", [".ci/install-editor.sh"]],
        command: ["npm", ["run", "-s", "test:editor"]],
        // test/e2e/run.mjs's last line; it has no todo.
        counts: (out) => {
            const m = [...out.matchAll(/^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/gm)].pop();
            return m ? { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3] ?? 0), todo: 0 } : {};
        },
    },
];

const total = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
for (const suite of suites) {
    console.log(`\n=== ${suite.name} ===`);
    if (suite.setup) {
        const s = await run(...suite.setup);
        if (s.code !== 0) {
            lines.push(`${suite.name}: set-up failed (exit ${s.code}), suite not run`);
            total.failed++;
            continue;
        }
    }
    const r = await run(...suite.command);
    const c = suite.counts(r.out);
    if ([c.passed, c.failed, c.skipped, c.todo].some((n) => n === undefined)) {
        lines.push(`${suite.name}: no summary (exit ${r.code})`);
        total.failed++;
        continue;
    }
    lines.push(`${suite.name}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped, ${c.todo} todo`);
    total.passed += c.passed;
    total.failed += c.failed;
    total.skipped += c.skipped;
    if (c.skipped > 0) {
        lines.push(`${suite.name}: ${c.skipped} skipped, but every test of this suite must run here (its set-up installs what they need)`);
        total.failed++;
    }
    if (r.code !== 0 && c.failed === 0) {
        lines.push(`${suite.name}: exit ${r.code} with no failed test counted`);
        total.failed++;
    }
}
console.log(`\n${lines.join("\n")}`);
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`);
process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
