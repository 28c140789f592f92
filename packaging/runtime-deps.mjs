// Computes the runtime dependency closure of the extension from package-lock.json (lockfile v2/v3
// "packages" map), resolving names the way Node does: nearest node_modules folder first, then up.
// The result is the list of lock paths ("node_modules/a", "node_modules/a/node_modules/b") to ship.

/** Node's lookup: from a package at `from` (a lock path, "" = root), find where `name` resolves. */
export function resolveInLock(packages, from, name) {
    let base = from;
    for (;;) {
        const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
        if (packages[candidate]) return candidate;
        if (!base) return undefined;
        // Step out of the innermost node_modules/<pkg> (a scoped name has two segments).
        const cut = base.lastIndexOf("/node_modules/");
        base = cut < 0 ? "" : base.slice(0, cut);
    }
}

function nameOf(lockPath) {
    return lockPath.slice(lockPath.lastIndexOf("node_modules/") + "node_modules/".length);
}

function matchesPlatform(entry, platform, arch, libc) {
    const ok = (list, value) => !list || list.length === 0
        || (list.some((v) => !v.startsWith("!")) ? list.includes(value) : !list.includes(`!${value}`));
    return ok(entry.os, platform) && ok(entry.cpu, arch) && (platform !== "linux" || ok(entry.libc, libc));
}

/** glibc unless this is a musl Linux (Alpine); only consulted for Linux targets. */
export function hostLibc() {
    return process.report?.getReport?.().header?.glibcVersionRuntime ? "glibc" : "musl";
}

/**
 * @param lock         parsed package-lock.json
 * @param libc         "glibc" | "musl" (Linux targets)
 * @param keep         (name, lockPath, entry) => boolean; false drops the package and what only it needs
 * @returns            { paths: sorted lock paths, skipped: [{name, reason}] }
 */
export function runtimeClosure(lock, { platform = process.platform, arch = process.arch, libc = hostLibc(), keep = () => true } = {}) {
    const packages = lock.packages;
    if (!packages || !packages[""]) throw new Error("package-lock.json has no \"packages\" map (lockfileVersion >= 2 needed)");
    const root = packages[""];
    const seen = new Set();
    const skipped = [];
    const queue = [];
    const want = (from, deps, optional) => {
        for (const name of Object.keys(deps ?? {})) queue.push({ from, name, optional });
    };
    want("", root.dependencies, false);
    want("", root.optionalDependencies, true);

    while (queue.length) {
        const { from, name, optional } = queue.shift();
        const at = resolveInLock(packages, from, name);
        if (!at) {
            if (optional) { skipped.push({ name, reason: "optional, not installed" }); continue; }
            throw new Error(`runtime dependency ${name} (needed by ${from || "the extension"}) is not in package-lock.json`);
        }
        if (seen.has(at)) continue;
        const entry = packages[at];
        if (entry.link) { skipped.push({ name, reason: `linked stand-in (${entry.resolved})` }); continue; }
        if (entry.dev && !entry.optional && !entry.devOptional) {
            // A dev-only entry reached from a runtime package means the lock is inconsistent.
            throw new Error(`${at} is marked dev-only but is needed at runtime by ${from || "the extension"}`);
        }
        if (!matchesPlatform(entry, platform, arch, libc)) { skipped.push({ name, reason: "other platform" }); continue; }
        if (!keep(nameOf(at), at, entry)) { skipped.push({ name, reason: "excluded" }); continue; }
        seen.add(at);
        want(at, entry.dependencies, false);
        want(at, entry.optionalDependencies, true);
        // Required peers are installed by npm and needed; optional peers (typescript for
        // node-llama-cpp) are only used when the host app has them, so they are not shipped.
        const peerMeta = entry.peerDependenciesMeta ?? {};
        for (const peer of Object.keys(entry.peerDependencies ?? {})) {
            if (!peerMeta[peer]?.optional) queue.push({ from: at, name: peer, optional: false });
        }
    }
    return { paths: [...seen].sort(), skipped };
}
