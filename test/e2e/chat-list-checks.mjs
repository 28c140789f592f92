// Phase B's checks of the chat's own controls, as a person uses them: New Chat in the view's title
// bar, Regenerate under the last answer, Edit on a question (and Undo), Up in the empty box, and
// Show Chats… (the list of saved chats) reopening the chat that was open before. A screenshot each.
import { assert } from "./lib/checks.mjs";
import { followAnswer, showChat } from "./lib/workbench.mjs";

const QUICK_INPUT = ".quick-input-widget";
const turnIds = (wv) => wv.locator("section.turn").evaluateAll((els) => els.map((e) => e.dataset.turnId));
const titleAction = (page, name) => page.locator(`.part.sidebar .title-actions .action-label[aria-label^="${name}"]`).first();

async function waitFor(page, what, test, timeout = 30_000) {
    const deadline = Date.now() + timeout;
    for (;;) {
        const got = await test();
        if (got) return got;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await page.waitForTimeout(100);
    }
}

/** Types a question into the chat's box and sends it with Enter; resolves when it is answered. */
async function ask(page, wv, text, timeout) {
    await wv.locator("#prompt").click();
    await page.keyboard.type(text);
    await page.keyboard.press("Enter");
    return followAnswer(page, wv, { timeout });
}

/**
 * @param {import("./lib/checks.mjs").Checks} checks
 * @param {{ page: object, wv: object, shot: (name: string) => Promise<void>, question: string, timeout: number }} o
 */
export async function chatListChecks(checks, { page, wv, shot, question, timeout }) {
    let before = [];
    const followUp = "Now add 100 to that";
    const edited = "What is 12 * 3?";

    await checks.check("New Chat in the view's title bar starts an empty chat; a question there is its first turn", async () => {
        await showChat(page);
        before = await turnIds(wv);
        assert(before.length > 0, "no turns in the chat before New Chat");
        await titleAction(page, "New Chat").click();
        await wv.locator("section.turn").first().waitFor({ state: "detached", timeout: 15_000 });
        await wv.locator("#empty").waitFor({ state: "visible", timeout: 15_000 });
        const focused = await wv.locator("#prompt").evaluate((el) => el === document.activeElement);
        await ask(page, wv, question, timeout);
        await shot("light-new-chat.png");
        const now = await turnIds(wv);
        assert(now.length === 1, `${now.length} turns after New Chat and one question`);
        return `${before.length} turns put away; the empty chat${focused ? " had the keyboard in its box" : ""}, then 1 turn`;
    });

    await checks.check("Regenerate under the last answer replaces it (no turn added)", async () => {
        const [old] = await turnIds(wv);
        const button = wv.locator("section.turn").last().locator(".regenerate");
        const name = await button.getAttribute("aria-label");
        await button.click();
        await wv.locator(`section.turn[data-turn-id="${old}"]`).waitFor({ state: "detached", timeout: 15_000 });
        await followAnswer(page, wv, { timeout });
        const now = await turnIds(wv);
        await shot("light-regenerated.png");
        assert(name === "Regenerate answer", `the button is named ${JSON.stringify(name)}`);
        assert(now.length === 1 && now[0] !== old, `turns ${JSON.stringify(now)} (was ${old})`);
        const q = (await wv.locator("section.turn .question .prompt-text").first().innerText()).trim();
        assert(q === question, `the regenerated turn asks ${JSON.stringify(q)}`);
        return `"${name}": turn ${old.slice(0, 8)} → ${now[0].slice(0, 8)}, still 1 turn`;
    });

    await checks.check("Edit on an earlier question puts it in the box; Send replaces the turns after it, and Undo brings them back", async () => {
        await ask(page, wv, followUp, timeout);
        const two = await turnIds(wv);
        assert(two.length === 2, `${two.length} turns after the follow-up`);
        await wv.locator("section.turn").first().locator(".edit-question").click();
        await wv.locator("#editing").waitFor({ state: "visible", timeout: 15_000 });
        const inBox = await wv.locator("#prompt").inputValue();
        const bar = (await wv.locator("#editing").innerText()).replace(/\s+/g, " ").trim();
        await page.keyboard.press("Control+A");
        await page.keyboard.type(edited);
        await shot("light-edit-question.png");
        await page.keyboard.press("Enter");
        await wv.locator("#undo-resend").waitFor({ state: "visible", timeout: 15_000 });
        await followAnswer(page, wv, { timeout });
        const replaced = await turnIds(wv);
        const undoBar = (await wv.locator("#notice").innerText()).replace(/\s+/g, " ").trim();
        const asked = (await wv.locator("section.turn .question .prompt-text").first().innerText()).trim();
        await shot("light-edit-resend-undo.png");
        assert(inBox === question, `Edit put ${JSON.stringify(inBox)} in the box`);
        assert(replaced.length === 1 && !two.includes(replaced[0]), `after the resend: ${JSON.stringify(replaced)} (was ${JSON.stringify(two)})`);
        assert(asked === edited, `the chat now asks ${JSON.stringify(asked)}`);
        await wv.locator("#undo-resend").click();
        await waitFor(page, "the replaced turns to come back", async () => JSON.stringify(await turnIds(wv)) === JSON.stringify(two));
        return `"${bar}"; "${undoBar}"; 2 turns → 1 → Undo → the same 2 turns`;
    });

    await checks.check("Up in the empty box recalls the last question sent, Down goes back to the empty box", async () => {
        const box = wv.locator("#prompt");
        await box.click();
        assert((await box.inputValue()) === "", `the box holds ${JSON.stringify(await box.inputValue())}`);
        await page.keyboard.press("ArrowUp");
        const up1 = await box.inputValue();
        await page.keyboard.press("ArrowUp");
        const up2 = await box.inputValue();
        await page.keyboard.press("ArrowDown");
        await page.keyboard.press("ArrowDown");
        const down = await box.inputValue();
        assert(up1 === edited && up2 === followUp && down === "", `Up → ${JSON.stringify(up1)}, Up → ${JSON.stringify(up2)}, Down Down → ${JSON.stringify(down)}`);
        return `Up "${up1}", Up "${up2}", Down Down ""`;
    });

    await checks.check("Show Chats… lists the saved chats (title, time, turns) and reopens the one that was open before", async () => {
        await titleAction(page, "Show Chats").click();
        const rows = page.locator(`${QUICK_INPUT} .monaco-list-row`);
        await rows.nth(2).waitFor({ state: "visible", timeout: 15_000 });
        const texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
        await shot("light-chats-list.png");
        const open = texts.find((t) => t.includes("open now"));
        assert(/^New Chat/.test(texts[0]), `the first row is ${JSON.stringify(texts[0])}`);
        assert(open && open.startsWith(question) && /today \d/.test(open) && /\b2 turns\b/.test(open), `the open chat's row: ${JSON.stringify(open)} (rows ${JSON.stringify(texts)})`);
        const buttons = await rows.nth(1).locator(".action-label").evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? e.title));
        // The chat open before New Chat: the row after the open one (newest first).
        const target = rows.nth(texts.indexOf(open) + 1);
        const label = (await target.innerText()).replace(/\s+/g, " ").trim();
        await target.click();
        await page.locator(QUICK_INPUT).waitFor({ state: "hidden", timeout: 15_000 });
        const back = await waitFor(page, "the earlier chat's turns", async () => {
            const ids = await turnIds(wv);
            return JSON.stringify(ids) === JSON.stringify(before) ? ids : undefined;
        });
        assert(buttons.some((b) => /Rename/.test(b ?? "")) && buttons.some((b) => /Delete/.test(b ?? "")), `row buttons ${JSON.stringify(buttons)}`);
        return `${texts.length - 1} chats: ${texts.slice(1).map((t) => JSON.stringify(t.slice(0, 60))).join(", ")}; reopened "${label.slice(0, 60)}" with its ${back.length} turns`;
    });
}
