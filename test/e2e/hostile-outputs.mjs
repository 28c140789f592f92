// Hostile model output and host text for the chat view. Every payload that could run code sets
// `window.__pwned`; every one that could fetch points at a "beacon" path of the page's own server
// (`${origin}`), so a fetch would show among its requests (or as a CSP violation).
export function hostilePayloads(origin) {
    return [
        ["script tag", `<script>window.__pwned = "script"</script>`],
        ["img onerror", `<img src=x onerror="window.__pwned='img-onerror'">`],
        ["img fetch", `<img src="${origin}/beacon-img">`],
        ["svg onload", `<svg onload="window.__pwned='svg'"><circle r=9 /></svg>`],
        ["javascript: link", `<a href="javascript:window.__pwned='js-url'" id="pwn-link">click me</a>`],
        ["iframe", `<iframe src="javascript:parent.__pwned='iframe'"></iframe><iframe src="${origin}/beacon-iframe"></iframe>`],
        ["style injection", `<style>body{display:none!important} #prompt{display:none}</style>`],
        ["stylesheet link", `<link rel="stylesheet" href="${origin}/beacon-css">`],
        ["inline style overlay", `</span></div><b style="position:fixed;inset:0;z-index:99;background:red">overlay</b>`],
        ["css url()", `x{background:url(${origin}/beacon-cssurl)} @import "${origin}/beacon-import";`],
        ["meta refresh and base", `<meta http-equiv="refresh" content="0;url=${origin}/beacon-meta"><base href="${origin}/beacon-base/">`],
        ["object and embed", `<object data="${origin}/beacon-object"></object><embed src="${origin}/beacon-embed">`],
        ["template and comment", `<template><script>window.__pwned='template'</script></template><!-- <script>window.__pwned='comment'</script> -->`],
        ["toolkit element", `<vscode-button onclick="window.__pwned='vsb'">Send</vscode-button>`],
        ["entities", `&lt;script&gt;window.__pwned='entity'&lt;/script&gt; &amp;amp; &#60;b&#62; &#x3C;i&#x3E;`],
        ["markdown links", `[click](javascript:window.__pwned='md') ![x](${origin}/beacon-md) <${origin}/beacon-autolink>`],
        ["template injection", "{{constructor.constructor('window.__pwned=\"tpl\"')()}} ${window.__pwned='tpl2'}"],
        ["unterminated RLO", "\u202Eevil"],
        ["bidi isolates and marks", "\u2067\u200F\u202B abc \u2066"],
        ["100k unbroken", "W".repeat(100_000)],
        ["zero-width joiners", "a\u200Db\u200Bc\u2060\uFEFF".repeat(4000)],
        ["newlines", "\n".repeat(20_000)],
        ["lone surrogates", "\uD800x\uDC00y\uDBFF"],
        ["NUL and controls", "a\u0000b\u0001\u001b[31mred\u001b[0m\u0007\u0008"],
        ["combining marks", "Z" + "\u0301\u0336".repeat(3000)],
        ["emoji ZWJ chain", "\u{1F468}\u200D\u{1F469}\u200D\u{1F467}".repeat(3000)],
        ["20k chars of tags", "<b><i><u>".repeat(2223)],
    ];
}

/** Messages a broken or hostile host might send; the view must drop each one with a log line. */
export const malformedMessages = [
    null,
    "tokens",
    42,
    [],
    {},
    { type: "explode" },
    { type: "init", status: { state: "idle", models: "s + l" } }, // an init without turns
    { type: "init", turns: "none", status: { state: "idle", models: "s + l" } },
    { type: "tokens", turnId: "t-run", tokens: 5 },
    { type: "tokens", turnId: "t-run", tokens: [["x", "slm", "0.5"]] },
    { type: "tokens", turnId: "t-run", tokens: [["x", "gpu", 0.5]] },
    { type: "tokens", turnId: "t-run", tokens: [[{ toString: null }, "slm", 0]] },
    { type: "turnDone", turnId: "t-run", answer: 5, stopReason: "eog" },
    { type: "turnStart", turn: { id: "x" } },
    { type: "turnError", turnId: "t-run" },
    { type: "notice", level: "fatal", message: "x" },
    { type: "status", status: null },
    { type: "restorePrompt", text: { length: 1 } },
];
