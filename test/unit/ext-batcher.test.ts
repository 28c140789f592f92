import assert from "node:assert/strict";
import { test } from "node:test";
import { Batcher, type Timers } from "../../src/extension/token-batcher.ts";

/** Timers driven by hand, so the test does not depend on wall-clock time. */
function manualTimers() {
    const pending = new Map<number, () => void>();
    let next = 1;
    const timers: Timers = {
        setTimeout: (fn) => {
            pending.set(next, fn);
            return next++;
        },
        clearTimeout: (h) => pending.delete(h as number),
    };
    const fire = () => {
        const fns = [...pending.values()];
        pending.clear();
        for (const f of fns) f();
    };
    return { timers, fire, pending };
}

test("tokens pushed within one interval are delivered as one batch, in order", () => {
    const { timers, fire, pending } = manualTimers();
    const batches: number[][] = [];
    const b = new Batcher<number>((x) => batches.push(x), 30, timers);
    for (let i = 0; i < 100; i++) b.push(i);
    assert.equal(batches.length, 0, "nothing is sent before the interval ends");
    assert.equal(pending.size, 1, "one timer for the whole burst");
    fire();
    assert.deepEqual(batches, [Array.from({ length: 100 }, (_, i) => i)]);
    b.push(100);
    b.push(101);
    fire();
    assert.deepEqual(batches[1], [100, 101]);
});

test("flush delivers at once and cancels the timer; an empty flush sends nothing", () => {
    const { timers, pending } = manualTimers();
    const batches: string[][] = [];
    const b = new Batcher<string>((x) => batches.push(x), 30, timers);
    b.flush();
    assert.equal(batches.length, 0);
    b.push("a");
    b.flush();
    assert.deepEqual(batches, [["a"]]);
    assert.equal(pending.size, 0);
    assert.equal(b.pending, 0);
});

test("the default timers deliver one batch when the interval ends, not before", (t) => {
    // node's mock clock stands in for the global setTimeout the default timers call.
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const batches: number[][] = [];
    const b = new Batcher<number>((x) => batches.push(x), 30);
    for (let i = 0; i < 1000; i++) b.push(i);
    t.mock.timers.tick(29);
    assert.equal(batches.length, 0, "nothing before 30 ms");
    t.mock.timers.tick(1);
    assert.equal(batches.length, 1, "one batch at 30 ms");
    assert.deepEqual(batches[0], Array.from({ length: 1000 }, (_, i) => i));
    t.mock.timers.tick(1000);
    assert.equal(batches.length, 1, "no empty batch after it");
});

test("discard (Stop) drops what is buffered and the pending timer: nothing is delivered after it", () => {
    const { timers, fire, pending } = manualTimers();
    const batches: string[][] = [];
    const b = new Batcher<string>((x) => batches.push(x), 30, timers);
    b.push("a");
    fire();
    b.push("b");
    b.push("c");
    b.discard();
    assert.equal(pending.size, 0);
    assert.equal(b.pending, 0);
    fire();
    b.flush();
    assert.deepEqual(batches, [["a"]]);
});
