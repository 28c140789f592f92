/**
 * Where the CLI keeps downloaded models: --dir, else $RSTITCH_MODELS_DIR, else the platform's cache
 * folder + rstitch/models ($XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches on macOS,
 * %LOCALAPPDATA% on Windows). The extension uses its own global storage instead. Pure.
 */
import { posix, win32 } from "node:path";

export interface CacheDirContext {
    env: Record<string, string | undefined>;
    platform: NodeJS.Platform;
    home: string;
}

export function modelsCacheDir(ctx: CacheDirContext, explicit?: string): string {
    if (explicit) return explicit;
    const { env, platform, home } = ctx;
    if (env.RSTITCH_MODELS_DIR) return env.RSTITCH_MODELS_DIR;
    if (platform === "win32") return win32.join(env.LOCALAPPDATA || win32.join(home, "AppData", "Local"), "rstitch", "models");
    if (platform === "darwin") return posix.join(home, "Library", "Caches", "rstitch", "models");
    return posix.join(env.XDG_CACHE_HOME || posix.join(home, ".cache"), "rstitch", "models");
}
