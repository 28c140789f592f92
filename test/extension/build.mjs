// Bundles the in-host mocha suite to out/test/extension/ as CommonJS (VS Code `require`s the suite's
// index and mocha `require`s each *.test.js). vscode and mocha stay external; node-llama-cpp is only
// reached through the extension itself.
import * as esbuild from "esbuild";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");
/**
 * Builds one suite: index.ts plus the *.test.ts files of `dir`, flat in `outdir`. The main suite runs
 * with workspace trust off (phase A); the trust/ suite needs it on and its own workspace (phase T).
 */
async function buildSuite(dir, outdir) {
    rmSync(outdir, { recursive: true, force: true });
    mkdirSync(outdir, { recursive: true });
    // The repo is "type": "module"; this folder's .js files are CommonJS.
    writeFileSync(join(outdir, "package.json"), JSON.stringify({ type: "commonjs" }) + "\n");
    const tests = readdirSync(dir).filter((f) => f.endsWith(".test.ts"));
    await esbuild.build({
        entryPoints: [{ in: join(here, "index.ts"), out: "index" }, ...tests.map((f) => ({ in: join(dir, f), out: f.replace(/\.ts$/, "") }))],
        outdir,
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node20",
        sourcemap: true,
        external: ["vscode", "mocha", "node-llama-cpp"],
        // As esbuild.mjs does for the extension: jsonc-parser's UMD main cannot be bundled, its ESM build can
        // (a test that imports the commands reaches it through the model picker).
        alias: { "jsonc-parser": "jsonc-parser/lib/esm/main.js" },
        logLevel: "warning",
    });
    console.log(`in-host suite: ${tests.length} test files -> ${outdir}`);
}

await buildSuite(here, join(root, "out/test/extension"));
await buildSuite(join(here, "trust"), join(root, "out/test/extension-trust"));
