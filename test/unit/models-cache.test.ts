/** Where downloads go, the disk-space rule and the progress line: pure functions. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { progressLine } from "../../src/cli/progress-bar.ts";
import { modelsCacheDir } from "../../src/models/cache-dir.ts";
import { SPARE_BYTES, spaceShortage } from "../../src/models/disk-space.ts";

test("the models folder: --dir, then $RSTITCH_MODELS_DIR, then the platform's cache folder", () => {
    const linux = { env: {}, platform: "linux" as const, home: "/home/u" };
    assert.equal(modelsCacheDir(linux), "/home/u/.cache/rstitch/models");
    assert.equal(modelsCacheDir({ ...linux, env: { XDG_CACHE_HOME: "/xdg" } }), "/xdg/rstitch/models");
    assert.equal(modelsCacheDir({ ...linux, env: { XDG_CACHE_HOME: "/xdg", RSTITCH_MODELS_DIR: "/m" } }), "/m");
    assert.equal(modelsCacheDir({ ...linux, env: { RSTITCH_MODELS_DIR: "/m" } }, "/explicit"), "/explicit");
    assert.equal(modelsCacheDir({ env: {}, platform: "darwin", home: "/Users/u" }), "/Users/u/Library/Caches/rstitch/models");
    assert.equal(modelsCacheDir({ env: { LOCALAPPDATA: "C:\\Users\\u\\AppData\\Local" }, platform: "win32", home: "C:\\Users\\u" }), "C:\\Users\\u\\AppData\\Local\\rstitch\\models");
    assert.equal(modelsCacheDir({ env: {}, platform: "win32", home: "C:\\Users\\u" }), "C:\\Users\\u\\AppData\\Local\\rstitch\\models");
});

test("disk space: the files plus the spare must fit", () => {
    const gb = 1e9;
    assert.equal(spaceShortage(5 * gb, 5 * gb + SPARE_BYTES, "/d"), null);
    const msg = spaceShortage(5 * gb, 5 * gb + SPARE_BYTES - 1, "/d");
    assert.equal(msg, "Not enough disk space in /d: the download needs 5.00 GB (plus 268.4 MB to spare) and 5.27 GB is free. Free some space or choose another folder.");
});

test("the progress line shows the bar, the percentage, the sizes and the speed", () => {
    assert.equal(progressLine(0, 2e9, 0), "[------------------------------]   0% 0 B of 2.00 GB");
    assert.equal(progressLine(1e9, 2e9, 12.5e6), "[###############---------------]  50% 1.00 GB of 2.00 GB · 12.5 MB/s");
    assert.equal(progressLine(2e9, 2e9, 0), "[##############################] 100% 2.00 GB of 2.00 GB");
});
