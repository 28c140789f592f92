/**
 * Entry of the in-host test suite: VS Code loads this module (extensionTestsPath) inside the
 * extension host and awaits `run()`. Works under @vscode/test-electron and inside code-server.
 * RSTITCH_TEST_GREP narrows the run to matching tests.
 */
import Mocha from "mocha";
import { readdirSync } from "node:fs";
import { join } from "node:path";

export function run(): Promise<void> {
    const mocha = new Mocha({ ui: "bdd", color: false, timeout: 180_000, reporter: "spec", grep: process.env.RSTITCH_TEST_GREP });
    for (const file of readdirSync(__dirname).filter((f) => f.endsWith(".test.js")).sort()) mocha.addFile(join(__dirname, file));
    return new Promise((resolve, reject) => {
        mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} in-host test(s) failed`)) : resolve()));
    });
}
