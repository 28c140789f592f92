import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { contentSecurityPolicy, webviewHtml } from "../../src/extension/webview-html.ts";

const page = webviewHtml({ cspSource: "https://file+.vscode-resource.example", nonce: "abc123", scriptUri: "https://r/main.js", styleUri: "https://r/main.css" });

test("the page's CSP denies everything but the built files and the nonce script", () => {
    const csp = contentSecurityPolicy({ cspSource: "SRC", nonce: "N" });
    assert.match(csp, /^default-src 'none';/);
    assert.match(csp, /script-src 'nonce-N'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    assert.ok(page.includes(`content="${contentSecurityPolicy({ cspSource: "https://file+.vscode-resource.example", nonce: "abc123" })}"`));
});

test("every script on the page carries the nonce; nothing inline runs", () => {
    const scripts = [...page.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.equal(scripts.length, 1);
    assert.match(scripts[0], /nonce="abc123"/);
    assert.match(scripts[0], /src="https:\/\/r\/main\.js"/);
    assert.doesNotMatch(page, /\son[a-z]+=/i, "no inline event handlers");
});

test("the elements the UI tests rely on are there", () => {
    for (const id of ["prompt", "send", "stop", "clear", "conversation", "status", "announcer"]) assert.match(page, new RegExp(`id="${id}"`), id);
    assert.match(page, /<textarea id="prompt"/);
    // The legend's samples take the tokens' own classes (main.css styles both alike).
    assert.match(page, /class="sample slm">SLM</);
    assert.match(page, /class="sample llm">LLM</);
    // The one live region: polite, read whole.
    assert.match(page, /id="announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"/);
});

test("the built extension keeps node-llama-cpp as a real dynamic import, and the webview bundle is there", (t) => {
    const ext = new URL("../../dist/extension.cjs", import.meta.url);
    assert.ok(existsSync(ext), "dist/extension.cjs is built (npm run build)");
    const code = readFileSync(ext, "utf8");
    assert.ok(code.includes('import("node-llama-cpp")'), "import() kept");
    assert.doesNotMatch(code, /require\(["']node-llama-cpp["']\)/, "never require()d: it is ESM-only with top-level await");
    assert.match(code, /require\("vscode"\)/);
    for (const f of ["main.js", "main.css"]) assert.ok(existsSync(new URL(`../../dist/webview/${f}`, import.meta.url)), `dist/webview/${f}`);
    const web = readFileSync(new URL("../../dist/webview/main.js", import.meta.url), "utf8");
    // A resource URL ends in its file type (highlight.js's links to its own issues, ".js/issues/1", are not resources).
    assert.doesNotMatch(web, /\bhttps?:\/\/(?!www\.w3\.org)[a-z0-9.-]+\.[a-z]{2,}\/[^\s"'`]*\.(js|css|woff2?)(?![\w/.-])/i, "no remote resources");
});
