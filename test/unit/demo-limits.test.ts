/** The demo pair's limits: which requests it was trained for, and what the user is told otherwise. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { demoLimitMessage } from "../../src/extension/demo-limits.ts";
import { DEMO_KNOWS_FOLLOW_UPS, demoLimitNote, demoPairFits, type DemoMisfit } from "../../src/models/demo-limits.ts";

test("every held-out problem of the demo task fits", () => {
    const lines = readFileSync("data/heldout.jsonl", "utf8").trim().split("\n");
    assert.ok(lines.length >= 100);
    for (const line of lines) {
        const { prompt } = JSON.parse(line) as { prompt: string };
        assert.deepEqual(demoPairFits("solve", prompt), { fits: true }, prompt);
    }
});

test("the trained ranges: in and just out", () => {
    const fits = (p: string) => demoPairFits("solve", p).fits;
    assert.ok(fits("What is 47 * 36?"));
    assert.ok(fits("  What is 123 * 7?\n"));
    assert.ok(fits("What is 9999 + 10?"));
    assert.ok(fits("What is 5000 - 4999?"));
    assert.ok(!fits("What is 999 + 1?"), "one-digit addend");
    assert.ok(!fits("What is 12 - 300?"), "negative result");
    assert.ok(!fits("What is 1234 * 5?"), "4-digit factor");
    assert.ok(!fits("What is 123 * 45?"), "3-digit by 2-digit");
    assert.ok(!fits("What is 12 * 1?"), "factor 1");
    assert.ok(!fits("What is 10000 + 10?"), "5 digits");
});

test("other forms and explanations do not fit, with the reason", () => {
    assert.deepEqual(demoPairFits("solve", "Explain what a hash map is"), { fits: false, why: "this question is not of that form" });
    assert.deepEqual(demoPairFits("solve", "Compute 999 + 1"), { fits: false, why: "this question is not of that form" });
    assert.deepEqual(demoPairFits("solve", "What is 4.5 * 2?"), { fits: false, why: "this question is not of that form" });
    assert.deepEqual(demoPairFits("solve", "What is 47 / 36?"), { fits: false, why: "this question is not of that form" });
    assert.deepEqual(demoPairFits("solve", "What is 999 + 1?"), { fits: false, why: "its numbers are outside the ranges it was trained on" });
    assert.deepEqual(demoPairFits("explain", "What is 47 * 36?"), { fits: false, why: "it cannot explain code" });
});

test("the trained question written another way does not fit, and the note gives it as trained", () => {
    const differently = (instead: string) => ({ fits: false, why: "it is not written exactly in that form", instead });
    // The pair only ever read single spaces: "What is 47*36?" got 864 from it.
    assert.deepEqual(demoPairFits("solve", "What is 47*36?"), differently("What is 47 * 36?"));
    assert.deepEqual(demoPairFits("solve", "what is 47 * 36?"), differently("What is 47 * 36?"));
    assert.deepEqual(demoPairFits("solve", "What is  58 *27"), differently("What is 58 * 27?"));
    assert.deepEqual(demoPairFits("solve", "What is 58 x 27?"), differently("What is 58 * 27?"));
    assert.deepEqual(demoPairFits("solve", "What is 9012−4789?"), differently("What is 9012 - 4789?"));
    // Written another way and out of range: the range is the reason, with nothing to suggest.
    assert.deepEqual(demoPairFits("solve", "What is 7*8?"), { fits: false, why: "its numbers are outside the ranges it was trained on" });
    const note = demoLimitNote(demoPairFits("solve", "What is 47*36?") as DemoMisfit, true, "Next.");
    assert.equal(note, `The embedded demo models only solve "What is A op B?" arithmetic (for example "What is 47 * 36?"); it is not written exactly in that form, so the answer above is not meaningful. Ask "What is 47 * 36?" instead. Next.`);
});

test("the editor's message says what the demo solves and what to do there", () => {
    const fit = demoPairFits("explain", "x");
    assert.ok(!fit.fits);
    const refused = demoLimitMessage(fit, false);
    assert.equal(refused, `The embedded demo models only solve "What is A op B?" arithmetic (for example "What is 47 * 36?"); it cannot explain code. Download recommended models or choose your own for real questions.`);
    const ran = demoLimitMessage(demoPairFits("solve", "Explain what a hash map is") as Exclude<typeof fit, { fits: true }>, true);
    // The editor shows it under the answer it is about.
    assert.match(ran, /this question is not of that form, so this answer is not meaningful\./);
});

test("follow-ups: named as unknown while the demo pair was not taught them, else checked against its ranges", () => {
    const fits = (p: string, previousAnswer?: string) => demoPairFits("solve", p, { previousAnswer });
    if (!DEMO_KNOWS_FOLLOW_UPS) {
        for (const q of ["Now add 100 to that", "Now subtract 7", "And times 3?"]) {
            assert.deepEqual(fits(q, "1692"), { fits: false, why: "it answers each question on its own and knows no follow-ups" }, q);
        }
        assert.doesNotMatch(demoLimitMessage(fits("Now add 100", "1692") as DemoMisfit, true), /Now subtract C/);
        return;
    }
    assert.ok(fits("Now add 100 to that", "1692").fits);
    assert.ok(fits("Now subtract 92 from that", "1692").fits);
    assert.ok(fits("And times 3?", "1692").fits);
    assert.ok(!fits("Now add 100", undefined).fits, "nothing to add to");
    assert.ok(!fits("Now subtract 2000", "1692").fits, "below zero");
    assert.ok(!fits("And times 12?", "1692").fits, "two-digit factor");
    assert.match(demoLimitMessage(fits("Explain it") as DemoMisfit, true), /"Now add C", "Now subtract C", "And times C\?"/);
});
