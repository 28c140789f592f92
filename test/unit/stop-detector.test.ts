import assert from "node:assert/strict";
import { test } from "node:test";
import { StopDetector } from "../../src/stitch/stop-detector.ts";

const run = (pieces: string[], triggers: string[]) => {
    const d = new StopDetector<string>(triggers, (s) => s);
    const out: string[] = [];
    for (const p of pieces) {
        const r = d.push(p);
        out.push(...r.release);
        if (r.stopped) return { out, stopped: true };
    }
    out.push(...d.flush());
    return { out, stopped: false };
};

test("a trigger spelled over several tokens stops and is not emitted", () => {
    assert.deepEqual(run(["4", "2", "<", "|", "im_end", "|>", "x"], ["<|im_end|>"]), { out: ["4", "2"], stopped: true });
});

test("a false start is released once it cannot be a trigger", () => {
    assert.deepEqual(run(["a", "<", "b"], ["<|im_end|>"]), { out: ["a", "<", "b"], stopped: false });
});

test("held text at the end of decoding is real output", () => {
    assert.deepEqual(run(["a", "<|"], ["<|im_end|>"]), { out: ["a", "<|"], stopped: false });
});
