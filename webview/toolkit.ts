/**
 * The only file that touches @vscode/webview-ui-toolkit (deprecated upstream since 2025-01-01, so it
 * is kept swappable): registers the few web components the chat view uses.
 */
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeProgressRing } from "@vscode/webview-ui-toolkit";

export function registerToolkit(): void {
    provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeProgressRing());
}
