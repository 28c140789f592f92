/** Reading a busy server's Retry-After, and a wait that Stop ends. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { retryAfterMs, waitUnlessAborted } from "../../src/stitch/remote/busy-wait.ts";

test("Retry-After in seconds or as an HTTP date, capped at the timeout; anything else is no wait", () => {
    assert.equal(retryAfterMs("1", 30_000), 1000);
    assert.equal(retryAfterMs(" 0 ", 30_000), 0);
    assert.equal(retryAfterMs("120", 30_000), 30_000);
    const now = Date.parse("Thu, 03 Dec 2026 12:00:00 GMT");
    assert.equal(retryAfterMs("Thu, 03 Dec 2026 12:00:05 GMT", 30_000, now), 5000);
    assert.equal(retryAfterMs("Thu, 03 Dec 2026 11:59:00 GMT", 30_000, now), 0);
    assert.equal(retryAfterMs("Fri, 04 Dec 2026 12:00:00 GMT", 30_000, now), 30_000);
    for (const none of [undefined, null, "", "soon", "-1", "1.5"]) assert.equal(retryAfterMs(none, 30_000), undefined, String(none));
});

test("a wait rejects with the abort reason once its signal aborts, or at once when already aborted", async () => {
    const stop = new AbortController();
    const waiting = waitUnlessAborted(3_600_000, stop.signal);
    stop.abort(new Error("stopped"));
    await assert.rejects(waiting, /stopped/);
    await assert.rejects(waitUnlessAborted(3_600_000, stop.signal), /stopped/);
    await waitUnlessAborted(0, new AbortController().signal);
});
