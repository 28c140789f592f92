// `npm test`: every suite, in order — unit, decoder and CLI tests (node's test runner), then the
// real-editor tests (code-server + Chromium). Each suite first installs what it needs (llama.cpp's
// tools; the editor toolchain), so a fresh machine needs nothing else. Prints each suite's output as it comes and ends with one
// plain line "N passed, N failed" over all of them; exits non-zero on any failure or missing summary.
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

const suites = [
    {
        name: "unit, decoder and CLI tests",
        // llama.cpp's own llama-server and llama-speculative: the benchmark's peers and the remote-LLM
        // lane's server, built once from the source inside node-llama-cpp and cached.
        setup: ["bash", [".ci/install-llama.sh"]],
        command: ["npm", ["run", "-s", "test:node"]],
        counts: (out) => ({ passed: lastNumber(out, /^# pass (\d+)$/gm), failed: lastNumber(out, /^# fail (\d+)$/gm) }),
    },
    {
        name: "real-editor tests",
        setup: ["bash", [".ci/install-editor.sh"]],
        command: ["npm", ["run", "-s", "test:editor"]],
        counts: (out) => ({ passed: lastNumber(out, /^(\d+) passed, \d+ failed/gm), failed: lastNumber(out, /^\d+ passed, (\d+) failed/gm) }),
    },
];

let passed = 0;
let failed = 0;
let broken = false;
for (const suite of suites) {
    console.log(`\n=== ${suite.name} ===`);
    if (suite.setup) {
        const s = await run(...suite.setup);
        if (s.code !== 0) {
            console.log(`${suite.name}: set-up failed (exit ${s.code})`);
            broken = true;
            failed++;
            continue;
        }
    }
    const r = await run(...suite.command);
    const c = suite.counts(r.out);
    if (c.passed === undefined || c.failed === undefined) {
        console.log(`${suite.name}: no summary (exit ${r.code})`);
        broken = true;
        failed++;
        continue;
    }
    passed += c.passed;
    failed += c.failed;
    if (r.code !== 0 && c.failed === 0) {
        console.log(`${suite.name}: exit ${r.code} with no failed test counted`);
        broken = true;
        failed++;
    }
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || broken || passed === 0 ? 1 : 0);
