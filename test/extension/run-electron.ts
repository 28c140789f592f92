/**
 * Runs the in-host suite in a desktop VS Code through @vscode/test-electron, wherever one exists:
 * VSCODE_EXECUTABLE names an installed VS Code; without it test-electron downloads one (that needs
 * update.code.visualstudio.com, which these build machines cannot reach; here the same suite runs
 * in code-server instead, see test/e2e/phase-a.mjs).
 *   npm run test:extension:electron
 */
import { runTests } from "@vscode/test-electron";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const workspace = mkdtempSync(join(tmpdir(), "rstitch-electron-ws-"));
mkdirSync(workspace, { recursive: true });
writeFileSync(join(workspace, "problem.txt"), "What is 17 + 25?\n");

try {
    await runTests({
        vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
        extensionDevelopmentPath: root,
        extensionTestsPath: join(root, "out/test/extension/index.js"),
        launchArgs: [workspace, "--disable-extensions", "--disable-workspace-trust", "--skip-welcome", "--skip-release-notes"],
        extensionTestsEnv: { ...process.env } as Record<string, string>,
    });
} catch (err) {
    console.error(`in-host suite failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
}
