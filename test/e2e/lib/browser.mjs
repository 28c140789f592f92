// Debian's Chromium driven by playwright-core (installed outside the repo; no browser download).
import { pathToFileURL } from "node:url";
import { join } from "node:path";

export async function launchChromium(env) {
    const { chromium } = await import(pathToFileURL(join(env.playwrightCore, "index.mjs")).href);
    // playwright-core gives each launch a fresh temporary profile (fresh --user-data-dir).
    return chromium.launch({
        executablePath: env.chromium,
        headless: true,
        timeout: 120_000,
        args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage"],
    });
}
