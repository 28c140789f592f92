/**
 * Where generated test models are cached between runs: <repo>/.cache/test-fixtures/<name>, ignored
 * by git (a fresh clone has none and writes them once). Never the temp folder: `npm test` leaves
 * nothing behind in /tmp, and a cache there only grows.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The repository holding `from`: the nearest folder upwards whose package.json is this project's.
 * Node's tests run at the repository root (npm scripts); the in-host suite passes the extension's folder.
 */
export function repoFolder(from = process.cwd()): string {
    for (let dir = from; ; dir = dirname(dir)) {
        const pkg = join(dir, "package.json");
        if (existsSync(pkg) && JSON.parse(readFileSync(pkg, "utf8")).name === "rstitch") return dir;
        if (dirname(dir) === dir) throw new Error(`no rstitch checkout above ${from}: run the tests from the repository`);
    }
}

export function testCacheDir(name: string, repo = repoFolder()): string {
    return join(repo, ".cache", "test-fixtures", name);
}
