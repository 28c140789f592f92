/**
 * The chat view's page. Strict CSP: nothing loads but the two built files (by the webview's own
 * resource origin), the one script carrying this page's nonce, and no inline style but the toolkit's
 * nonce-bearing probe. Pure, so the CSP is unit-tested.
 */
export interface PageOptions {
    /** `webview.cspSource` */
    cspSource: string;
    nonce: string;
    scriptUri: string;
    styleUri: string;
}

export function contentSecurityPolicy(o: Pick<PageOptions, "cspSource" | "nonce">): string {
    return [
        "default-src 'none'",
        // The nonce lets the toolkit's one probe <style> (for :focus-visible) in; no inline styles else.
        `style-src ${o.cspSource} 'nonce-${o.nonce}'`,
        `font-src ${o.cspSource}`,
        `img-src ${o.cspSource}`,
        `script-src 'nonce-${o.nonce}'`,
    ].join("; ");
}

export function webviewHtml(o: PageOptions): string {
    const csp = contentSecurityPolicy(o);
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta property="csp-nonce" content="${o.nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${o.styleUri}">
<title>R-Stitch</title>
</head>
<body>
<header class="bar">
  <h1 class="visually-hidden">R-Stitch chat</h1>
  <vscode-button id="model-picker" class="model-picker" appearance="secondary" title="Choose models…" aria-label="Choose models"><span class="picker-label"></span><svg class="icon chevron" viewBox="0 0 16 16" aria-hidden="true"><path d="M4.4 6 8 9.6 11.6 6l.7.7L8 11 3.7 6.7z"/></svg></vscode-button>
  <span id="status" class="status" role="status" aria-live="polite"></span>
  <span class="legend" role="group" aria-label="Token colours">
    <span class="legend-item"><span class="sample slm">SLM</span></span>
    <span class="legend-item"><span class="sample llm">LLM</span></span>
  </span>
</header>
<div id="announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"></div>
<div id="notice" class="notice" role="alert" hidden></div>
<main id="conversation" class="conversation" aria-live="off">
  <p id="empty" class="empty">Ask a question below, or run <em>Solve with R-Stitch</em> or <em>Explain Selection with R-Stitch</em>. Each token is coloured by the model that wrote it; hover a token to see its entropy.</p>
</main>
<footer class="composer">
  <textarea id="prompt" rows="3" placeholder="Ask R-Stitch… (Enter to send, Shift+Enter for a new line)" aria-label="Question for R-Stitch"></textarea>
  <div class="buttons">
    <vscode-button id="send" appearance="primary" title="Send (Enter)">Send</vscode-button>
    <vscode-button id="stop" appearance="secondary" title="Stop generation" disabled>Stop</vscode-button>
    <span class="spacer"></span>
    <vscode-button id="clear" appearance="icon" title="Clear conversation" aria-label="Clear conversation"><svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path fill-rule="evenodd" d="M6 1.5h4v1h3.5v1h-11v-1H6zM3.5 5h9l-.7 9.5H4.2zM4.6 6l.5 7.5h5.8l.5-7.5z"/></svg></vscode-button>
  </div>
</footer>
<script type="module" nonce="${o.nonce}" src="${o.scriptUri}"></script>
</body>
</html>`;
}
