import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function sources(dir: string): string[] {
    return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile() && e.name.endsWith(".ts"))
        .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** Relative imports of a file (type-only ones too: they tie the modules as much for a reader), as repo paths. */
function importsOf(file: string): string[] {
    const text = readFileSync(join(root, file), "utf8");
    const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1] ?? m[2]);
    return specs.filter((s) => s.startsWith(".")).map((s) => relative(root, resolve(root, dirname(file), s)));
}

const runtime = [...sources("src"), ...sources("webview")];
const graph = new Map(runtime.map((f) => [f, importsOf(f)]));

/** Strongly connected components with more than one module (Tarjan). */
function cycles(): string[][] {
    let next = 0;
    const index = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], on = new Set<string>();
    const out: string[][] = [];
    const visit = (v: string) => {
        index.set(v, next); low.set(v, next); next++; stack.push(v); on.add(v);
        for (const w of graph.get(v) ?? []) {
            if (!graph.has(w)) continue;
            if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
            else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        }
        if (low.get(v) === index.get(v)) {
            const scc: string[] = [];
            let w: string;
            do { w = stack.pop()!; on.delete(w); scc.push(w); } while (w !== v);
            if (scc.length > 1) out.push(scc.sort());
        }
    };
    for (const v of graph.keys()) if (!index.has(v)) visit(v);
    return out;
}

test("src/ and webview/ have no import cycle (type-only imports included)", () => {
    assert.deepEqual(cycles().map((c) => c.join(" ↔ ")), []);
});

test("runtime code imports nothing from tests or tools (the GGUF writer and fixture builders live there)", () => {
    const bad = [...graph].flatMap(([f, deps]) => deps.filter((d) => d.startsWith("test/") || d.startsWith("tools/")).map((d) => `${f} → ${d}`));
    assert.deepEqual(bad, []);
    // The parser must see imports at all, or both tests above would pass on nothing.
    assert.ok(graph.get("src/gguf/validate.ts")?.includes("src/gguf/report.ts"));
});

/** Package imports of a file ("vscode", "node:fs", …). */
function packagesOf(file: string): string[] {
    const text = readFileSync(join(root, file), "utf8");
    return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)|(?:^|\n)\s*import\s+"([^"]+)"/g)]
        .map((m) => m[1] ?? m[2] ?? m[3]).filter((s) => !s.startsWith("."));
}

test("only src/extension/ imports vscode, and nothing outside it imports src/extension/", () => {
    const bad = [...graph].filter(([f]) => !f.startsWith("src/extension/")).flatMap(([f, deps]) => [
        ...(packagesOf(f).includes("vscode") ? [`${f} → vscode`] : []),
        ...deps.filter((d) => d.startsWith("src/extension/")).map((d) => `${f} → ${d}`),
    ]);
    assert.deepEqual(bad, []);
    assert.ok(packagesOf("src/extension/extension.ts").includes("vscode"), "the parser sees package imports");
});

test("webview/ only renders: it imports webview/ and the shared contracts at the top of src/, never the decoder, the extension or Node", () => {
    const bad = [...graph].filter(([f]) => f.startsWith("webview/")).flatMap(([f, deps]) => [
        ...deps.filter((d) => !d.startsWith("webview/") && !/^src\/[^/]+\.ts$/.test(d)).map((d) => `${f} → ${d}`),
        ...packagesOf(f).filter((p) => p.startsWith("node:") || p === "node-llama-cpp" || p === "vscode").map((p) => `${f} → ${p}`),
    ]);
    assert.deepEqual(bad, []);
});
