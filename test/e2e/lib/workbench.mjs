// What a person does in the VS Code workbench, as playwright steps: the command palette, the input
// box, the Settings editor, the colour theme picker, and reading the R-Stitch chat webview.

const QUICK_INPUT = ".quick-input-widget";

export async function waitForWorkbench(page, timeout = 180_000) {
    await page.locator(".monaco-workbench .part.activitybar").waitFor({ state: "visible", timeout });
    await page.locator(".monaco-workbench .part.statusbar").waitFor({ state: "visible", timeout });
}

/** F1, type ">Title", pick the row with that title, Enter. */
export async function runCommand(page, title, timeout = 30_000) {
    await page.keyboard.press("F1");
    const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
    await input.waitFor({ state: "visible", timeout });
    await page.keyboard.press("Control+A");
    await page.keyboard.type(`>${title}`);
    await pickRow(page, title, timeout);
}

/** F1, type ">query", wait for the list to settle, Escape. Returns every row's label ("Category: Title"). */
export async function paletteRows(page, query, timeout = 30_000) {
    await page.keyboard.press("F1");
    const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
    await input.waitFor({ state: "visible", timeout });
    await page.keyboard.press("Control+A");
    await page.keyboard.type(`>${query}`);
    const rows = page.locator(`${QUICK_INPUT} .monaco-list-row .label-name`);
    await rows.first().waitFor({ state: "visible", timeout });
    // The list fills as the query is matched: read it until two looks agree.
    let last = [];
    for (let i = 0; i < 20; i++) {
        await page.waitForTimeout(250);
        const now = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
        if (now.length > 0 && now.join("\n") === last.join("\n")) break;
        last = now;
    }
    await page.keyboard.press("Escape");
    await page.locator(QUICK_INPUT).waitFor({ state: "hidden", timeout });
    return last;
}

/** In the focused editor: from the top of the file, selects `n` whole lines with the keyboard. */
export async function selectLines(page, n) {
    await page.keyboard.press("Control+Home");
    for (let i = 0; i < n; i++) await page.keyboard.press("Shift+ArrowDown");
}

/** Moves the quick-input focus to the row labelled `label` (a longer match may rank first), Enter. */
async function pickRow(page, label, timeout) {
    const focused = page.locator(`${QUICK_INPUT} .monaco-list-row.focused`);
    await page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: label }).first().waitFor({ state: "visible", timeout });
    for (let i = 0; i < 15; i++) {
        const name = (await focused.locator(".label-name").first().innerText().catch(() => "")).trim();
        // Commands show as "Category: Title".
        if (name === label || name.endsWith(`: ${label}`)) { await page.keyboard.press("Enter"); return; }
        await page.keyboard.press("ArrowDown");
        await page.waitForTimeout(50);
    }
    throw new Error(`no row labelled exactly "${label}" in the quick input`);
}

/** Answers a `showInputBox`: waits for an empty quick input, types, Enter. Returns its prompt text. */
export async function answerInputBox(page, text, timeout = 30_000) {
    const widget = page.locator(QUICK_INPUT);
    const input = widget.locator(".quick-input-box input");
    await input.waitFor({ state: "visible", timeout });
    const deadline = Date.now() + timeout;
    // The palette closes and the input box opens in the same widget: wait until it is empty.
    while ((await input.inputValue()) !== "") {
        if (Date.now() > deadline) throw new Error(`input box never became empty (value ${JSON.stringify(await input.inputValue())})`);
        await page.waitForTimeout(100);
    }
    const message = (await widget.locator(".quick-input-message, .quick-input-description").allInnerTexts().catch(() => [])).join(" ").trim();
    const placeholder = (await input.getAttribute("placeholder")) ?? "";
    await page.keyboard.type(text);
    await page.keyboard.press("Enter");
    await widget.waitFor({ state: "hidden", timeout });
    return [placeholder, message].filter(Boolean).join(" / ");
}

/** The chat view's document: the sidebar webview is an iframe in an iframe. */
export function chatWebview(page) {
    return page.frameLocator("iframe.webview.ready").frameLocator("#active-frame");
}

/** One look at the chat: token counts by source, Stop state, the last stats line, the last title. */
export function readChat(wv) {
    return wv.locator("body").evaluate((body) => {
        const stop = body.querySelector("#stop");
        // Stats parts may be separated by CSS only: join the parts so the text reads as shown.
        const statText = (e) => (e.children.length ? [...e.children].map((c) => c.innerText.trim()).filter(Boolean).join(" · ") : e.innerText);
        const stats = [...body.querySelectorAll(".stats")].map((e) => statText(e).replace(/\s+/g, " ").trim());
        return {
            slm: body.querySelectorAll(".tok.slm").length,
            llm: body.querySelectorAll(".tok.llm").length,
            stopEnabled: Boolean(stop) && !stop.hasAttribute("disabled") && stop.getAttribute("aria-disabled") !== "true",
            stats: stats.at(-1) ?? "",
            statsCount: stats.length,
            dark: body.classList.contains("vscode-dark"),
            light: body.classList.contains("vscode-light"),
            text: body.innerText.slice(-400),
        };
    });
}

/** Clears the conversation with the chat's own button and waits until no token is left. */
export async function clearChat(page, wv, timeout = 15_000) {
    await wv.locator("#clear").click();
    const deadline = Date.now() + timeout;
    for (;;) {
        const s = await readChat(wv);
        if (s.slm + s.llm === 0 && !s.stats) return;
        if (Date.now() > deadline) throw new Error(`the chat did not clear (${s.slm + s.llm} tokens left)`);
        await page.waitForTimeout(100);
    }
}

/** "LLM share 23%" (or "LLM share: 0.23") → a percentage. */
export function llmSharePercent(statsText) {
    const m = /LLM share\D*?(\d+(?:\.\d+)?)\s*(%)?/i.exec(statsText);
    if (!m) return undefined;
    const v = Number(m[1]);
    return m[2] ? v : v <= 1 ? v * 100 : v;
}

/**
 * Follows one answer from the moment it was requested until it is finished: samples the chat every
 * `interval` ms, returns the samples, whether it saw tokens arrive over several looks (streaming),
 * and the final state. `onTokens(sample, distinctCounts)` may act mid-answer (press Stop): it is
 * called on every look with tokens until it returns true.
 */
export async function followAnswer(page, wv, { timeout, interval = 150, onTokens, startTimeout = 120_000 } = {}) {
    const t0 = Date.now();
    const counts = new Set();
    let started = false;
    let acted = false;
    let last;
    let idleSince = null;
    for (;;) {
        last = await readChat(wv);
        const n = last.slm + last.llm;
        if (last.stopEnabled) started = true;
        if (n > 0) {
            counts.add(n);
            started = true;
            if (onTokens && !acted) acted = Boolean(await onTokens(last, counts.size));
        }
        // Finished: Stop is disabled again and a stats line is present, and nothing moves for a moment.
        if (started && !last.stopEnabled && last.stats) {
            idleSince ??= { at: Date.now(), n };
            if (idleSince.n !== n) idleSince = { at: Date.now(), n };
            else if (Date.now() - idleSince.at > 1500) break;
        } else idleSince = null;
        const elapsed = Date.now() - t0;
        if (!started && elapsed > startTimeout) throw new Error(`no answer started within ${startTimeout / 1000} s; chat: ${last.text}`);
        if (elapsed > timeout) throw new Error(`answer not finished within ${timeout / 1000} s (${n} tokens so far); chat: ${last.text}`);
        await page.waitForTimeout(interval);
    }
    return { final: last, distinctCounts: counts.size, ms: Date.now() - t0 };
}

/**
 * Settings editor: for each {key, label, value}, search the key (the search box is Monaco: keyboard
 * only), fill the setting's input, Tab to commit, then `afterEach(edit)` (e.g. wait until it is saved:
 * starting the next search before the value is committed can lose it). Returns each row's text.
 * Leaves the editor open.
 */
/** Opens the Settings editor (if it is not open) and types `query` into its search box. */
export async function searchSettings(page, query, timeout) {
    const editor = page.locator(".settings-editor");
    if (!(await editor.isVisible())) {
        await runCommand(page, "Preferences: Open Settings (UI)");
        await editor.waitFor({ state: "visible", timeout });
    }
    const search = editor.locator(".settings-header .monaco-editor").first();
    for (let attempt = 0; ; attempt++) {
        await search.click();
        await page.keyboard.press("Control+A");
        await page.keyboard.type(query);
        // Monaco paints on the next frames: give the text a moment to show before judging it.
        let typed = "";
        for (let i = 0; i < 20 && typed !== query; i++) {
            await page.waitForTimeout(100);
            typed = (await search.locator(".view-lines").innerText()).replace(/\u00a0/g, " ").trim();
        }
        if (typed === query) return editor;
        if (attempt >= 2) throw new Error(`the settings search box holds "${typed}", not "${query}"`);
    }
}

/**
 * The Settings editor's row for one setting id, found with "@id:" (which matches the id alone; a plain
 * search also finds descriptions that name it), once it is the only row. `label` is its title.
 */
async function settingRow(page, key, label, timeout) {
    const editor = await searchSettings(page, `@id:${key}`, timeout);
    // The list re-renders as each character narrows the search and reuses its row elements: wait
    // for the one row titled `label` before touching it.
    const title = page.locator(".setting-item-label", { hasText: new RegExp(`^${label}$`) });
    const row = editor.locator(".setting-item-contents").filter({ has: title }).first();
    await row.waitFor({ state: "visible", timeout });
    await editor.locator(".setting-item-contents").nth(1).waitFor({ state: "detached", timeout });
    return row;
}

export async function editSettings(page, edits, { afterEach, timeout = 30_000 } = {}) {
    const rows = [];
    for (const edit of edits) {
        const row = await settingRow(page, edit.key, edit.label, timeout);
        const input = row.locator("input").first();
        await input.click();
        await input.fill(String(edit.value));
        await page.keyboard.press("Tab");
        rows.push((await row.innerText()).replace(/\s+/g, " ").trim());
        await afterEach?.(edit);
    }
    return rows;
}

/**
 * What the Settings editor shows for a setting id: its category and title as painted (e.g. "Rstitch: "
 * and "SLM Model Path"), and the value in its input. Undefined when no row shows (a deprecated
 * setting that is not set is hidden).
 */
export async function readSettingRow(page, key, { timeout = 30_000 } = {}) {
    const editor = await searchSettings(page, `@id:${key}`, timeout);
    const rows = editor.locator(".setting-item-contents");
    const empty = editor.locator(".no-results-message");
    // Either one row for this id, or the "No Settings Found" message.
    const deadline = Date.now() + timeout;
    for (;;) {
        if (await empty.isVisible()) return undefined;
        if ((await rows.count()) === 1) {
            const row = rows.first();
            // The row's container names its setting: a row left from the last search is not this one.
            const keyShown = await row.evaluate((el) => el.closest("[data-key]")?.getAttribute("data-key") ?? null).catch(() => null);
            if (keyShown === key) {
                const category = (await row.locator(".setting-item-category").innerText()).trim();
                const label = (await row.locator(".setting-item-label").innerText()).trim();
                const input = row.locator("input").first();
                const value = (await input.count()) ? await input.inputValue() : undefined;
                return { category, label, value };
            }
        }
        if (Date.now() > deadline) throw new Error(`the Settings editor shows ${await rows.count()} row(s) for @id:${key}`);
        await page.waitForTimeout(100);
    }
}

/** The Settings editor opens as a modal over the workbench in VS Code 1.139: click its close button. */
export async function closeSettings(page, timeout = 15_000) {
    const editor = page.locator(".settings-editor");
    const close = page.locator('[aria-label^="Close Modal Editor"]').first();
    if (await close.isVisible()) await close.click();
    else await page.keyboard.press("Control+W"); // older layout: an ordinary editor tab
    await editor.waitFor({ state: "hidden", timeout });
}

/** Ctrl+P, the file name, Enter: the file opens in an editor. */
export async function openFile(page, name, timeout = 30_000) {
    await page.keyboard.press("Control+P");
    const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
    await input.waitFor({ state: "visible", timeout });
    await page.keyboard.type(name);
    await page.locator(`${QUICK_INPUT} .monaco-list-row.focused`, { hasText: name }).waitFor({ state: "visible", timeout });
    await page.keyboard.press("Enter");
    await page.locator(`.tabs-container .tab.active`, { hasText: name }).waitFor({ state: "visible", timeout });
}

/** Shows the R-Stitch sidebar unless it is already showing (clicking an active item would hide it). */
export async function showChat(page, timeout = 30_000) {
    if (await page.locator("iframe.webview.ready").first().isVisible()) return;
    await page.locator('.part.activitybar [aria-label^="R-Stitch"]').first().click();
    await page.locator("iframe.webview.ready").first().waitFor({ state: "visible", timeout });
}

/** Preferences: Color Theme → pick by name. */
export async function setColorTheme(page, name, timeout = 30_000) {
    await runCommand(page, "Preferences: Color Theme");
    const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
    await input.waitFor({ state: "visible", timeout });
    await page.keyboard.type(name);
    await pickRow(page, name, timeout);
    await page.locator(QUICK_INPUT).waitFor({ state: "hidden", timeout });
}
