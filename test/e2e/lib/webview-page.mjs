// The chat view's page on its own, in Debian's Chromium: the real webview bundle (built here with
// esbuild from webview/main.ts, as esbuild.mjs builds it) inside the real page and CSP
// (src/extension/webview-html.ts), served from 127.0.0.1, with a stand-in for VS Code's
// `acquireVsCodeApi` that records what the view posts. Shared by the hostile-output phase and the
// render-throughput benchmark (tools/webview-throughput.mjs).
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { repoRoot } from "./scratch.mjs";

/** Builds the bundle and the page module into a scratch folder. */
async function build(dir) {
    await esbuild.build({
        entryPoints: { main: join(repoRoot, "webview/main.ts") }, outdir: dir, bundle: true,
        platform: "browser", format: "esm", target: "es2022", logLevel: "warning", minify: true,
    });
    await esbuild.build({
        entryPoints: [join(repoRoot, "src/extension/webview-html.ts")], outfile: join(dir, "page.mjs"), bundle: true,
        platform: "node", format: "esm", logLevel: "warning",
    });
    return import(pathToFileURL(join(dir, "page.mjs")).href);
}

/**
 * Serves the page. Every request is recorded in `requests`; only the page and its two files are
 * answered, anything else gets a 404 (and shows in `requests` as something the page should never ask).
 */
export async function servePage() {
    const dir = mkdtempSync(join(tmpdir(), "rstitch-webview-"));
    const { webviewHtml } = await build(dir);
    const requests = [];
    const server = createServer((req, res) => {
        requests.push(req.url);
        const nonce = randomBytes(16).toString("base64");
        const origin = `http://127.0.0.1:${server.address().port}`;
        const files = {
            "/": ["text/html", () => webviewHtml({ cspSource: origin, nonce, scriptUri: `${origin}/main.js`, styleUri: `${origin}/main.css` })],
            "/main.js": ["text/javascript", () => readFileSync(join(dir, "main.js"))],
            "/main.css": ["text/css", () => readFileSync(join(dir, "main.css"))],
        };
        const file = files[req.url];
        if (req.url === "/favicon.ico") {
            // Chromium asks for it by itself (a VS Code webview has none); not the page's doing.
            res.writeHead(204).end();
            return;
        }
        if (!file) {
            res.writeHead(404).end();
            return;
        }
        res.writeHead(200, { "content-type": file[0], "cache-control": "no-store" }).end(file[1]());
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${server.address().port}`;
    return {
        origin,
        requests,
        /** Requests other than the page and its two files. */
        strayRequests: () => requests.filter((u) => !["/", "/main.js", "/main.css", "/favicon.ico"].includes(u)),
        close: async () => {
            await new Promise((resolve) => server.close(resolve));
            rmSync(dir, { recursive: true, force: true });
        },
    };
}

/** JSON with every non-ASCII code unit escaped, so lone surrogates and NULs cross to the page intact. */
export function asciiJson(value) {
    return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

// Runs in the page before its own script: VS Code's API, and recorders for what must never happen.
const PAGE_SETUP = () => {
    window.__posted = [];
    window.__violations = [];
    let state;
    window.__savedState = () => state;
    window.acquireVsCodeApi = () => ({
        postMessage: (m) => window.__posted.push(m),
        getState: () => state,
        setState: (s) => {
            state = s;
        },
    });
    document.addEventListener("securitypolicyviolation", (e) => {
        window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
};

/**
 * Opens the page in a fresh context of `browser`. Returns the page, the uncaught page errors and the
 * console warnings seen so far (live arrays), and `post(msg)` to send a host message.
 */
export async function openChatPage(browser, server, { width = 420, height = 720 } = {}) {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    const pageErrors = [];
    const warnings = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("console", (m) => {
        if (m.type() === "warning" || m.type() === "error") warnings.push(m.text());
    });
    await page.addInitScript(PAGE_SETUP);
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => window.__posted.some((m) => m.type === "ready"));
    return {
        page,
        context,
        pageErrors,
        warnings,
        /** Delivers a host message now, synchronously, through the page's own "message" listener. */
        post: (msg) => page.evaluate((json) => window.dispatchEvent(new MessageEvent("message", { data: JSON.parse(json) })), asciiJson(msg)),
        /** Waits two rendering frames (the view paints token batches once per frame). */
        frames: () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))),
    };
}
