import { readFileSync } from "node:fs";

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

/**
 * Markdown and TeX aimed at the renderer (webview/markdown/): link targets it must not follow,
 * addresses it must not fetch, markup it must not make, formulas KaTeX must keep inert, and shapes
 * that could break the layout.
 */
export function markdownPayloads(origin) {
    return [
        ["md javascript: links", `[a](javascript:window.__pwned='md-js') [b](JaVaScRiPt:window.__pwned='md-js2') [c]( javascript:window.__pwned='md-js3' )`],
        ["md data: and vbscript: links", `[d](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0nZGF0YSc8L3NjcmlwdD4=) [v](vbscript:msgbox)`],
        ["md entity-encoded targets", `[e](&#106;avascript:window.__pwned='ent') [f](java&#x73;cript:window.__pwned='ent2') [g](&#x6A;&#x61;vascript&#58;x)`],
        ["md reference and footnote links", `[ref][r1] and [r1] and [^note]\n\n[r1]: javascript:window.__pwned='ref'\n[^note]: <img src=x onerror="window.__pwned='fn'">`.replace(/\\n/g, "\n")],
        ["md images and autolinks to local addresses", `![x](${origin}/beacon-mdimg) ![y][img]\n\n[img]: ${origin}/beacon-mdref\n\n<${origin}/beacon-auto> <file:///etc/passwd> <http://127.0.0.1:1/beacon-local>`.replace(/\\n/g, "\n")],
        ["md raw HTML block", `<div onclick="window.__pwned='div'">\n<script>window.__pwned='block'</script>\n<img src="${origin}/beacon-htmlblock">\n</div>`.replace(/\\n/g, "\n")],
        ["md inline HTML", `text <span style="position:fixed;inset:0">x</span> <a href="javascript:window.__pwned='a'">a</a> <img src="${origin}/beacon-inline">`],
        ["md nested fences", "````md\n```js\nwindow.__pwned='fence'\n```\n<script>window.__pwned='fenced'</script>\n````\n```\nunclosed <img src=x onerror=\"window.__pwned='unc'\">".replace(/\\n/g, "\n")],
        ["tex href and url", `$\\href{javascript:window.__pwned='href'}{x}$ $$\\url{${origin}/beacon-url}$$ \\(\\href{${origin}/beacon-href}{y}\\)`],
        ["tex htmlStyle, htmlClass, htmlId, htmlData", `$\\htmlStyle{position:fixed;inset:0;background:red}{x}$ $\\htmlClass{tok}{y}$ $\\htmlId{prompt}{z}$ $\\htmlData{a=b}{w}$ $\\includegraphics{${origin}/beacon-tex.png}$`],
        ["tex recursive macros", `$$\\def\\a{\\a\\a}\\a$$ $\\gdef\\b{\\b x}\\b$ $\\newcommand{\\c}{\\c\\c}\\c$`],
        ["tex huge rules and sizes", `$\\rule{100000em}{100000em}$ $$\\rule{9999pt}{1pt}\\kern{99999em}x$$ $\\Huge\\Huge\\Huge x$ \\boxed{\\rule{50000em}{1em}}`],
        ["tex deep nesting", `$${"{".repeat(3000)}x${"}".repeat(3000)}$ $${"\\frac{1}{".repeat(400)}1${"}".repeat(400)}$`],
        ["md deep nesting", `${">".repeat(500)} deep\n\n${Array.from({ length: 200 }, (_, i) => `${"  ".repeat(i)}- item`).join("\n")}\n\n${"*".repeat(2000)}x${"*".repeat(2000)} ${"[".repeat(2000)}`.replace(/\\n/g, "\n")],
        ["md bidi overrides in emphasis and code", "**\u202Eevil** `\u202Ecode` *\u2067rtl* ```\n\u202Eblock\n```\n| \u202Ea | b |\n|---|---|\n| c | d |"],
        ["md wide table and long code line", `| ${Array.from({ length: 60 }, (_, i) => `col${i}`).join(" | ")} |\n|${"---|".repeat(60)}\n| ${"W".repeat(5000)} |\n\n\`\`\`\n${"x".repeat(20000)}\n\`\`\``.replace(/\\n/g, "\n")],
    ];
}

/**
 * Extra payloads from the file RSTITCH_HOSTILE_EXTRA names, so anyone can try their own: blocks
 * separated by a line `----`; lines starting with `#` are ignored. None when the variable is unset.
 */
export function extraPayloads(file = process.env.RSTITCH_HOSTILE_EXTRA) {
    if (!file) return [];
    return readFileSync(file, "utf8")
        .split(/\r?\n----\r?\n/)
        .map((block) => block.split(/\r?\n/).filter((l) => !l.startsWith("#")).join("\n"))
        .filter((block) => block.trim() !== "")
        .map((block, i) => [`extra ${i + 1} (${file})`, block]);
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
