import assert from "node:assert/strict";
import { test } from "node:test";
// @ts-expect-error plain JavaScript module of the real-editor suite, no types
import { contrastRatio, flatten, hex, luminance, over, parseColor } from "../e2e/lib/contrast.mjs";

type C = { r: number; g: number; b: number; a: number };
const c = (s: string): C => parseColor(s);

test("parseColor reads the forms getComputedStyle gives", () => {
    assert.deepEqual(c("rgb(0, 95, 184)"), { r: 0, g: 95, b: 184, a: 1 });
    assert.deepEqual(c("rgba(10, 20, 30, 0.4)"), { r: 10, g: 20, b: 30, a: 0.4 });
    assert.deepEqual(c("rgb(10 20 30 / 40%)"), { r: 10, g: 20, b: 30, a: 0.4 });
    assert.deepEqual(c("color(srgb 1 0.5 0 / 0.25)"), { r: 255, g: 127.5, b: 0, a: 0.25 });
    assert.deepEqual(c("#895503"), { r: 0x89, g: 0x55, b: 3, a: 1 });
    assert.deepEqual(c("transparent"), { r: 0, g: 0, b: 0, a: 0 });
    assert.throws(() => c("red"), /unreadable colour "red"/);
});

test("WCAG luminance and contrast: the reference values", () => {
    assert.equal(luminance(c("#ffffff")), 1);
    assert.equal(luminance(c("#000000")), 0);
    assert.equal(contrastRatio(c("#000000"), c("#ffffff")), 21);
    assert.equal(contrastRatio(c("#ffffff"), c("#ffffff")), 1);
    // #767676 on white is the classic just-passing AA grey (4.54:1); #777777 just fails (4.48:1).
    assert.equal(contrastRatio(c("#767676"), c("#ffffff")).toFixed(2), "4.54");
    assert.equal(contrastRatio(c("#777777"), c("#ffffff")).toFixed(2), "4.48");
    // The order of the two colours does not matter.
    assert.equal(contrastRatio(c("#ffffff"), c("#767676")).toFixed(2), "4.54");
});

test("translucent layers are composited before the contrast is measured", () => {
    // Black at 50 % over white is mid grey (127.5).
    assert.equal(hex(over(c("rgba(0, 0, 0, 0.5)"), c("#ffffff"))), "#808080");
    assert.deepEqual(flatten([c("rgba(0, 0, 0, 0)"), c("rgba(255, 0, 0, 0.5)"), c("#0000ff")]), over(c("rgba(255, 0, 0, 0.5)"), c("#0000ff")));
    // Translucent black text on white reads as grey text: far less than 21:1.
    const r = contrastRatio(c("rgba(0, 0, 0, 0.5)"), c("#ffffff"));
    assert.ok(r > 3.9 && r < 4.0, String(r));
});
