/**
 * Which link targets in model output may be followed: http(s) and mailto only, opened by the host
 * (the view offers only these; the host checks again what the view asks for)
 * (vscode.env.openExternal, behind VS Code's own trusted-domain prompt). Anything else — javascript:,
 * data:, file:, command:, vscode:, relative paths — is shown as inert text. Pure.
 */
const OPENABLE = new Set(["http:", "https:", "mailto:"]);
const MAX_URL = 2048;

/** The URL to open, normalised, or undefined when the target must stay inert. */
export function openableUrl(raw: string): string | undefined {
    if (typeof raw !== "string" || raw.length === 0 || raw.length > MAX_URL) return undefined;
    // Control characters and spaces never belong in a link we hand to the OS.
    if (/[\u0000-\u0020\u007f-\u009f]/.test(raw)) return undefined;
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        return undefined;
    }
    if (!OPENABLE.has(url.protocol)) return undefined;
    if (url.protocol !== "mailto:" && (url.username || url.password || !url.hostname)) return undefined;
    return url.href;
}
