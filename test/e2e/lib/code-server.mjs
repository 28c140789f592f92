// Starts and stops code-server (the real VS Code workbench, on Node 24) in its own process group,
// with every bit of state in a scratch folder so each phase starts fresh.
import { spawn, execFileSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

const running = new Set();

export function freePort() {
    return new Promise((resolve, reject) => {
        const srv = createServer();
        srv.unref();
        srv.on("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

function dirsUnder(scratch) {
    const d = { ud: join(scratch, "ud"), ext: join(scratch, "ext"), cfg: join(scratch, "cfg"), data: join(scratch, "data") };
    for (const p of Object.values(d)) mkdirSync(p, { recursive: true });
    return d;
}

function childEnv(d, extra = {}) {
    return { ...process.env, ...extra, XDG_CONFIG_HOME: d.cfg, XDG_DATA_HOME: d.data };
}

export function installVsix(env, scratch, vsix) {
    const d = dirsUnder(scratch);
    return execFileSync(env.node, [env.codeServer, "--user-data-dir", d.ud, "--extensions-dir", d.ext,
        "--install-extension", vsix, "--force"], { env: childEnv(d), encoding: "utf8", timeout: 180_000 });
}

/**
 * @param {object} o
 * @param {object} o.env        editorEnv()
 * @param {string} o.scratch    folder for user data, extensions, config and the log
 * @param {boolean} o.smokeDriver  pass --vscode-option enable-smoke-test-driver (phase A only)
 * @param {boolean} o.workspaceTrust  leave workspace trust on (the user settings must enable it too)
 * @param {object} o.extraEnv   more environment for code-server and so its extension host
 */
export async function startCodeServer({ env, scratch, smokeDriver = false, workspaceTrust = false, extraEnv = {}, timeoutMs = 90_000 }) {
    const d = dirsUnder(scratch);
    const port = await freePort();
    const logFile = join(scratch, "code-server.log");
    const log = openSync(logFile, "a");
    const args = [env.codeServer,
        "--user-data-dir", d.ud, "--extensions-dir", d.ext, "--bind-addr", `127.0.0.1:${port}`,
        "--auth", "none", "--disable-telemetry", "--disable-update-check",
        "--disable-getting-started-override", "--disable-proxy", "--ignore-last-opened"];
    if (!workspaceTrust) args.push("--disable-workspace-trust");
    if (smokeDriver) args.push("--vscode-option", "enable-smoke-test-driver");
    // detached = setsid: code-server and its extension hosts share one process group we can kill.
    const child = spawn(env.node, args, { env: childEnv(d, extraEnv), detached: true, stdio: ["ignore", log, log] });
    closeSync(log);
    let exited = null;
    child.on("exit", (code, signal) => { exited = { code, signal }; });
    const server = {
        port, url: `http://127.0.0.1:${port}`, pid: child.pid, logFile,
        logTail: (n = 30) => readFileSync(logFile, "utf8").trimEnd().split("\n").slice(-n).join("\n"),
        stop: () => stopGroup(child, () => exited),
    };
    running.add(server);

    const deadline = Date.now() + timeoutMs;
    for (;;) {
        if (exited) throw new Error(`code-server exited (${JSON.stringify(exited)}):\n${server.logTail()}`);
        try {
            const res = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(2000) });
            if (res.ok) break;
        } catch { /* not listening yet */ }
        if (Date.now() > deadline) { await server.stop(); throw new Error(`code-server not healthy after ${timeoutMs} ms:\n${server.logTail()}`); }
        await new Promise((r) => setTimeout(r, 250));
    }
    return server;
}

async function stopGroup(child, exited) {
    for (const s of running) if (s.pid === child.pid) running.delete(s);
    const kill = (sig) => { try { process.kill(-child.pid, sig); } catch { /* group already gone */ } };
    kill("SIGTERM");
    for (let i = 0; i < 50 && !exited(); i++) await new Promise((r) => setTimeout(r, 100));
    kill("SIGKILL"); // the extension host may outlive its parent; the group takes it down too
}

/** Last-resort cleanup on exit or Ctrl-C: no code-server outlives the harness. */
function killAll() {
    for (const s of running) { try { process.kill(-s.pid, "SIGKILL"); } catch { /* gone */ } }
    running.clear();
}
process.on("exit", killAll);
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => { killAll(); process.exit(130); });
