import assert from "node:assert/strict";
import { test } from "node:test";
import { Output } from "../../src/stitch/output.ts";
import { StopDetector } from "../../src/stitch/stop-detector.ts";

const run = (pieces: string[], triggers: string[]) => {
    const d = new StopDetector<string>(triggers, (s) => s, (_s, text) => text);
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

test("a trigger that begins inside a token: the text before it is kept", () => {
    assert.deepEqual(run(["ok<|", "im_end|>"], ["<|im_end|>"]), { out: ["ok"], stopped: true });
    assert.deepEqual(run(["Done", ".\n\n###", " Human", ":"], ["\n\n### Human"]), { out: ["Done", "."], stopped: true });
    // "<|" inside a token that turns out not to start the trigger is released whole.
    assert.deepEqual(run(["ok<|", "x"], ["<|im_end|>"]), { out: ["ok<|", "x"], stopped: false });
});

test("a whole trigger inside one token keeps the text before it", () => {
    assert.deepEqual(run(["a", "x<|im_end|>tail"], ["<|im_end|>"]), { out: ["a", "x"], stopped: true });
    assert.deepEqual(run(["<|im_end|>"], ["<|im_end|>"]), { out: [], stopped: true });
});

test("the earliest of several triggers wins", () => {
    assert.deepEqual(run(["a\n\n### Human<|im_end|>"], ["<|im_end|>", "\n\n### Human"]), { out: ["a"], stopped: true });
    assert.deepEqual(run(["a", "\n\n###", " Assistant"], ["\n\n### Human", "\n\n### Assistant"]), { out: ["a"], stopped: true });
});

test("text held across a token boundary is released in order once it cannot be a trigger", () => {
    const d = new StopDetector<string>(["<|im_end|>"], (s) => s, (_s, text) => text);
    assert.deepEqual(d.push("ok<"), { release: [], stopped: false });
    assert.deepEqual(d.push("|im"), { release: [], stopped: false });
    assert.deepEqual(d.push("_x"), { release: ["ok<", "|im", "_x"], stopped: false });
});

// Output: token events through TextStream and the detector, with a made-up detokeniser.
const PIECES: Record<number, string> = { 1: "The", 2: " answer", 3: "x<|im_end|>", 4: " <|", 5: "im", 6: "_end", 7: "|", 8: ">", 9: "!" };
const detokenize = (ids: number[]) => ids.map((i) => PIECES[i]).join("");

test("Output: a token holding text and the whole trigger keeps its text and ends decoding", () => {
    const out = new Output(detokenize, ["<|im_end|>"]);
    const events = [...out.token({ index: 0, id: 1, source: "slm", entropy: 0 }), ...out.token({ index: 1, id: 3, source: "llm", entropy: 0.2 })];
    assert.equal(out.stopped, true);
    assert.deepEqual(events.map((e) => (e.type === "token" ? [e.id, e.text, e.source] : e.type)), [[1, "The", "slm"], [3, "x", "llm"]]);
    assert.equal(out.fullText, "Thex");
    assert.deepEqual(out.finish(), []);
});

test("Output: a trigger beginning inside a token and spanning five tokens keeps the leading space", () => {
    const out = new Output(detokenize, ["<|im_end|>"]);
    const events = [];
    for (const [i, id] of [1, 4, 5, 6, 7, 8, 9].entries()) {
        events.push(...out.token({ index: i, id, source: "slm", entropy: 0 }));
        if (out.stopped) break;
    }
    events.push(...out.finish());
    assert.equal(out.stopped, true);
    assert.deepEqual(events.map((e) => (e.type === "token" ? e.text : e.type)), ["The", " "]);
    assert.equal(out.fullText, "The ");
});
