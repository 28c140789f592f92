/**
 * Entry of the in-host test suite: VS Code loads this module (extensionTestsPath) inside the
 * extension host and awaits `run()`. Works under @vscode/test-electron and inside code-server.
 * RSTITCH_TEST_GREP narrows the run to matching tests.
 *
 * Besides mocha's spec output, each test's result is logged as one `rstitch-test` line (see
 * `resultLine`): phase A (test/e2e/phase-a.mjs) counts those, so every in-host test is a check of
 * its own and a pending one shows as skipped.
 */
import Mocha from "mocha";
import { readdirSync } from "node:fs";
import { join } from "node:path";

/** The line phase A parses: `rstitch-test <state> <JSON title>[ <JSON detail>]`. */
function resultLine(state: "plan" | "pass" | "fail" | "pending" | "hook-fail", title: string, detail?: string): string {
    return `rstitch-test ${state} ${JSON.stringify(title)}${detail === undefined ? "" : ` ${JSON.stringify(detail)}`}`;
}

export function run(): Promise<void> {
    const mocha = new Mocha({ ui: "bdd", color: false, timeout: 180_000, reporter: "spec", grep: process.env.RSTITCH_TEST_GREP });
    for (const file of readdirSync(__dirname).filter((f) => f.endsWith(".test.js")).sort()) mocha.addFile(join(__dirname, file));
    return new Promise((resolve, reject) => {
        const runner = mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} in-host test(s) failed`)) : resolve()));
        const title = (t: Mocha.Runnable) => t.titlePath().join(" › ");
        // The number of tests that will run (grep applied): a test that never reports is a failure.
        runner.once("start", () => console.log(resultLine("plan", String(runner.total))));
        runner.on("pass", (t) => console.log(resultLine("pass", title(t), `${t.duration ?? 0} ms`)));
        runner.on("pending", (t) => console.log(resultLine("pending", title(t))));
        // A failing hook arrives as a "test" too (its type says hook).
        runner.on("fail", (t: Mocha.Runnable & { type?: string }, err: Error) => {
            const message = String(err?.message ?? err).split("\n")[0];
            console.log(resultLine(t.type === "hook" ? "hook-fail" : "fail", title(t), message));
        });
    });
}
