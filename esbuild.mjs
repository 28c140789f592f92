// Builds the bundles: the CLI (Node ESM), the extension (Node CommonJS, as VS Code loads it) and,
// where present, the webview (browser ESM). node-llama-cpp stays external: it is ESM with native
// binaries and is loaded by a dynamic import() that esbuild keeps as is for target node20.
import * as esbuild from "esbuild";
import { existsSync } from "node:fs";

const watch = process.argv.includes("--watch");
const production = process.argv.includes("--production");

const common = {
    bundle: true,
    sourcemap: !production,
    minify: production,
    logLevel: "warning",
};

const builds = [
    {
        ...common,
        entryPoints: ["src/cli.ts"],
        outfile: "dist/cli.js",
        platform: "node",
        format: "esm",
        target: "node20",
        external: ["node-llama-cpp"],
        banner: { js: "#!/usr/bin/env node" },
    },
];
if (existsSync("src/extension/extension.ts")) {
    builds.push({
        ...common,
        entryPoints: ["src/extension/extension.ts"],
        outfile: "dist/extension.cjs",
        platform: "node",
        format: "cjs",
        target: "node20",
        external: ["vscode", "node-llama-cpp"],
        // jsonc-parser's UMD main loads its own files with a require() a bundle cannot follow; its ESM build bundles.
        alias: { "jsonc-parser": "jsonc-parser/lib/esm/main.js" },
    });
}
if (existsSync("webview/main.ts")) {
    // The chat view: browser ESM, loaded by the webview page under a strict CSP (main.js + main.css).
    builds.push({
        ...common,
        entryPoints: { main: "webview/main.ts" },
        outdir: "dist/webview",
        platform: "browser",
        format: "esm",
        target: "es2022",
    });
}

if (watch) {
    for (const b of builds) await (await esbuild.context(b)).watch();
} else {
    await Promise.all(builds.map((b) => esbuild.build(b)));
}
