// `npm run package`: builds the production bundles, stages exactly what the extension needs at run
// time into .cache/vsix-stage, and packs it with vsce into dist/rstitch-<version>.vsix.
//
// Why a staging tree: node-llama-cpp stays outside the bundle (ESM + native binaries), so the .vsix
// must carry node_modules — but only the runtime closure of node-llama-cpp and the CPU binary for the
// target platform, never the dev tools, other platforms' binaries or the GPU stand-ins in the repo's
// node_modules. vsce then runs `npm list --production` inside the stage (its default dependency mode;
// `--no-dependencies` would drop node_modules altogether) and applies .vscodeignore.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { EditorToolsMissing, editorDir, editorEnv } from "./editor-env.mjs";
import { runtimeClosure } from "./runtime-deps.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const stage = join(root, ".cache", "vsix-stage");
const args = process.argv.slice(2);
const target = valueOf("--target") ?? `${process.platform}-${process.arch}`;
const skipBuild = args.includes("--no-build");

function valueOf(flag) {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
}
function step(msg) { console.log(`[package] ${msg}`); }
function fail(msg) { console.error(`[package] error: ${msg}`); process.exit(1); }

// vsce needs Node >= 22. A first run installs Node 24 and vsce (no root, no browser) into the
// editor toolchain's folder, so `npm run package` works on a fresh clone.
function packagerTools() {
    const needed = ["node", "vsce"];
    try {
        return editorEnv(needed);
    } catch (e) {
        if (!(e instanceof EditorToolsMissing)) throw e;
        step(`Node 24 and vsce not found in ${editorDir()}: installing them (.ci/install-editor.sh --packager)`);
    }
    try {
        execFileSync("bash", [join(root, ".ci", "install-editor.sh"), "--packager"], { cwd: root, stdio: "inherit" });
        return editorEnv(needed);
    } catch (e) {
        fail(`could not install the packager's tools: ${e instanceof EditorToolsMissing ? e.message : "see the output above"}`);
    }
}

const t0 = Date.now();
const env = packagerTools();
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

if (!skipBuild) {
    step("production build (node esbuild.mjs --production)");
    execFileSync(process.execPath, ["esbuild.mjs", "--production"], { cwd: root, stdio: "inherit" });
}
const main = pkg.main?.replace(/^\.\//, "");
if (!main || !existsSync(join(root, main))) fail(`package.json "main" (${pkg.main}) is not built`);

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

// 1. Files of the extension itself. Sources, tests and tools never enter the stage.
const copy = (rel, filter) => cpSync(join(root, rel), join(stage, rel), { recursive: true, dereference: true, filter });
copy("dist", (src) => !src.endsWith(".map"));
if (existsSync(join(root, "media"))) copy("media");
// The demo pair, its calibration and its built-in calibration prompts (Calibrate Models).
const models = existsSync(join(root, "models"))
    ? readdirSync(join(root, "models")).filter((f) => /^demo(-.*\.gguf|\.calibration\.json|\.prompts\.jsonl)$/.test(f)) : [];
if (!models.some((f) => f.endsWith(".gguf"))) step("warning: no models/demo-*.gguf to ship");
for (const m of models) copy(join("models", m));
for (const f of ["README.md", "LICENSE", "LICENSE.md", "LICENSE.txt", "CHANGELOG.md", ".vscodeignore"]) {
    if (existsSync(join(root, f))) copy(f);
}
if (!existsSync(join(stage, "README.md"))) fail("README.md is missing (vsce needs one)");

// The manifest without what only matters in the repo: scripts (vsce would run vscode:prepublish),
// dev dependencies and the overrides that point into packaging/.
const manifest = { ...pkg };
for (const key of ["scripts", "devDependencies", "overrides", "bin"]) delete manifest[key];
writeFileSync(join(stage, "package.json"), JSON.stringify(manifest, null, 2) + "\n");

// 2. node_modules: the runtime closure, with only this platform's CPU build of node-llama-cpp.
const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));
const [platform, arch] = target.split("-");
const cpuBinary = `@node-llama-cpp/${target}`;
const { paths, skipped } = runtimeClosure(lock, {
    platform, arch,
    keep: (name) => !name.startsWith("@node-llama-cpp/") || name === cpuBinary,
});
if (!paths.includes(`node_modules/${cpuBinary}`)) fail(`${cpuBinary} is not installed: no CPU binary for ${target}`);
for (const p of paths) {
    const src = join(root, p);
    if (!existsSync(join(src, "package.json"))) fail(`${p} is in the lock but not on disk: run npm ci`);
    // Nested node_modules are copied as their own closure entries, so skip them here.
    cpSync(src, join(stage, p), {
        recursive: true, dereference: true,
        filter: (s) => s === src || !s.slice(src.length).split("/").includes("node_modules"),
    });
}
step(`staged ${paths.length} runtime packages (${skipped.length} optional ones left out: other platforms, GPU builds)`);

// 3. Pack. vsce needs Node >= 22: run it with the Node 24 from install-editor.sh.
const out = join(root, "dist", `${pkg.name}-${pkg.version}.vsix`);
const vsceArgs = [env.vsce, "package", "--target", target, "--out", out, "--allow-missing-repository"];
// Without a repository URL vsce refuses README links it cannot make absolute; keep them as written.
if (!pkg.repository) vsceArgs.push("--no-rewrite-relative-links");
if (!["LICENSE", "LICENSE.md", "LICENSE.txt"].some((f) => existsSync(join(stage, f)))) {
    step("warning: no LICENSE file; packaging with --skip-license");
    vsceArgs.push("--skip-license");
}
step(`vsce ${vsceArgs.slice(1).join(" ")}`);
// vsce advises bundling whenever a package holds more than 100 .js files. Ours are node-llama-cpp's own
// (ESM with top-level await that loads its native binaries by path at run time, so it stays outside
// the bundle); the extension's code is already one esbuild bundle, dist/extension.cjs. That one
// advice is left out of the output on purpose; anything else vsce says is printed as it is.
const BUNDLE_ADVICE = /you should bundle your extension/;
const packed = spawnSync(env.node, vsceArgs, { cwd: stage, encoding: "utf8", maxBuffer: 64 << 20, env: { ...process.env, PATH: `${dirname(env.node)}:${process.env.PATH}` } });
for (const [text, stream] of [[packed.stdout, process.stdout], [packed.stderr, process.stderr]]) {
    const kept = (text ?? "").split("\n").filter((line) => !BUNDLE_ADVICE.test(line)).join("\n");
    if (kept.trim()) stream.write(kept.endsWith("\n") ? kept : `${kept}\n`);
}
if (packed.status !== 0) fail(`vsce package failed (${packed.error?.message ?? `exit ${packed.status}`})`);

// 4. Check what went in: what must be there, and what must not.
const entries = execFileSync("unzip", ["-Z1", out], { encoding: "utf8", maxBuffer: 64 << 20 }).split("\n").filter(Boolean);
const has = (re) => entries.some((e) => re.test(e));
const problems = [];
const must = [
    [/^extension\/package\.json$/, "package.json"],
    [new RegExp(`^extension/${main.replace(/[.]/g, "\\.")}$`), main],
    [/^extension\/node_modules\/node-llama-cpp\/package\.json$/, "node-llama-cpp"],
    [new RegExp(`^extension/node_modules/@node-llama-cpp/${target}/bins/`), `${cpuBinary} binaries`],
    ...models.map((m) => [new RegExp(`^extension/models/${m.replace(/[.]/g, "\\.")}$`), `models/${m}`]),
];
for (const [re, what] of must) if (!has(re)) problems.push(`missing ${what}`);
const mustNot = [
    [/^extension\/(src|test|tools|webview|packaging|\.ci)\//, "sources/tests"],
    [/\.map$/, "source maps"],
    [/^extension\/node_modules\/@node-llama-cpp\/[^/]*-(cuda|vulkan|metal)/, "GPU binaries"],
    [/^extension\/node_modules\/(typescript|esbuild|tsx|@types|@vscode\/test-electron|mocha)\//, "dev dependencies"],
    [/gitRelease\.bundle$/, "llama.cpp source bundle"],
];
for (const [re, what] of mustNot) {
    const bad = entries.filter((e) => re.test(e));
    if (bad.length) problems.push(`${what} shipped: ${bad.slice(0, 3).join(", ")}${bad.length > 3 ? " …" : ""}`);
}
const otherCpu = entries.filter((e) => /^extension\/node_modules\/@node-llama-cpp\//.test(e) && !e.includes(`/@node-llama-cpp/${target}/`));
if (otherCpu.length) problems.push(`other platform binaries shipped: ${otherCpu[0]}`);
if (problems.length) fail(`the .vsix is wrong:\n  ${problems.join("\n  ")}`);

// 5. Does what was shipped load node-llama-cpp and its CPU binary on its own? Unpack the .vsix and
// try, with Node 24 like code-server's extension host.
const unpacked = join(root, ".cache", "vsix-check");
rmSync(unpacked, { recursive: true, force: true });
execFileSync("unzip", ["-q", out, "-d", unpacked]);
const llamaIndex = join(unpacked, "extension/node_modules/node-llama-cpp/dist/index.js");
execFileSync(env.node, [join(root, "packaging/probe-llama.mjs"), llamaIndex], { stdio: "inherit" });
rmSync(unpacked, { recursive: true, force: true });

const mb = (statSync(out).size / 1048576).toFixed(1);
step(`${out}: ${mb} MB, ${entries.length} files, checked (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
