// Bundles the in-host mocha suite to out/test/extension/ as CommonJS (VS Code `require`s the suite's
// index and mocha `require`s each *.test.js). vscode and mocha stay external; node-llama-cpp is only
// reached through the extension itself.
import * as esbuild from "esbuild";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");
const outdir = join(root, "out/test/extension");
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
// The repo is "type": "module"; this folder's .js files are CommonJS.
writeFileSync(join(outdir, "package.json"), JSON.stringify({ type: "commonjs" }) + "\n");

const tests = readdirSync(here).filter((f) => f.endsWith(".test.ts"));
await esbuild.build({
    entryPoints: [join(here, "index.ts"), ...tests.map((f) => join(here, f))],
    outdir,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    sourcemap: true,
    external: ["vscode", "mocha", "node-llama-cpp"],
    logLevel: "warning",
});
console.log(`in-host suite: ${tests.length} test files -> ${outdir}`);
