import * as assert from "node:assert/strict";
import { test } from "node:test";
import { makeTrace, parseTrace, TRACE_VERSION, traceJson, type Trace } from "../../src/trace.ts";

function sample(): Trace {
    return makeTrace({
        prompt: "What is 47 * 36?\n(“quoted”, \u202e bidi, <b>tag</b>)",
        label: "Explain selection · util.ts",
        models: "demo-slm + demo-llm",
        mode: "stitch",
        threshold: 0.01,
        budget: 512,
        tokens: [
            { id: 12, text: "47", source: "slm", entropy: 0 },
            { id: 5, text: " *", source: "slm", entropy: 0.004 },
            { id: 99, text: " 36", source: "llm", entropy: 0.412 },
            { id: 3, text: "\n", source: "slm", entropy: 1 },
        ],
        switches: [
            { index: 2, from: "slm", to: "llm", entropy: 0.2 },
            { index: 3, from: "llm", to: "slm", entropy: 0.001 },
        ],
        stats: {
            mode: "stitch",
            threshold: 0.01,
            slm: { tokens: 3, prefillTokens: 10, wallMs: 12.5, calls: 4 },
            llm: { tokens: 1, prefillTokens: 12, wallMs: 30.25, calls: 1 },
            totalTokens: 4,
            switches: 2,
            discardedSlmTokens: 1,
            llmShare: 0.25,
            wallMs: 50,
            tokensPerSecond: 80,
            draft: { proposed: 4, accepted: 3, llmPasses: 2 },
        },
        answer: "1692",
        stopReason: "eog",
    });
}

test("a trace survives writing and reading unchanged", () => {
    const t = sample();
    const parsed = parseTrace(traceJson(t));
    assert.ok(parsed.ok, parsed.ok ? "" : parsed.reason);
    assert.deepEqual(parsed.trace, t);
    // One token per line: the file reads (and diffs) line by line.
    assert.equal(traceJson(t).split("\n").filter((l) => l.includes('"source"') && l.includes('"id"')).length, t.tokens.length);
});

test("a trace without label, answer or switches survives too", () => {
    const t = sample();
    delete t.label;
    t.answer = null;
    t.switches = [];
    t.stats.draft = undefined;
    delete t.stats.draft;
    const parsed = parseTrace(traceJson(t));
    assert.ok(parsed.ok, parsed.ok ? "" : parsed.reason);
    assert.deepEqual(parsed.trace, t);
});

test("unknown fields are dropped, not carried along", () => {
    const raw = JSON.parse(traceJson(sample()));
    raw.extra = "x";
    raw.tokens[0].html = "<img>";
    const parsed = parseTrace(JSON.stringify(raw));
    assert.ok(parsed.ok);
    assert.equal("extra" in parsed.trace, false);
    assert.equal("html" in parsed.trace.tokens[0], false);
});

type Edit = (t: Record<string, any>) => void;
/** Each edit breaks one field; the refusal must name that field (the pattern). */
const BAD: [string, Edit, RegExp][] = [
    ["format missing", (t) => delete t.format, /not an R-Stitch trace/],
    ["format wrong", (t) => (t.format = "other"), /not an R-Stitch trace/],
    ["newer version", (t) => (t.version = TRACE_VERSION + 1), /version 2 trace.*update R-Stitch/],
    ["version not a number", (t) => (t.version = "1"), /"version" is not 1/],
    ["prompt not a string", (t) => (t.prompt = 7), /^prompt is not a string/],
    ["label not a string", (t) => (t.label = ["x"]), /^label is not a string/],
    ["models missing", (t) => delete t.models, /^models is not a string/],
    ["mode unknown", (t) => (t.mode = "turbo"), /^mode is not one of stitch/],
    ["threshold above 1", (t) => (t.threshold = 1.5), /^threshold is 1.5, outside 0–1/],
    ["threshold not a number", (t) => (t.threshold = "0.01"), /^threshold is not a number/],
    ["budget fractional", (t) => (t.budget = 12.5), /^budget is 12.5, not a whole number/],
    ["budget zero", (t) => (t.budget = 0), /^budget is 0, outside 1–/],
    ["tokens not a list", (t) => (t.tokens = {}), /^tokens is not a list/],
    ["token not an object", (t) => (t.tokens[1] = ["a", "slm", 0]), /^tokens\[1\] is not an object/],
    ["token id negative", (t) => (t.tokens[0].id = -1), /^tokens\[0\]\.id is -1/],
    ["token id fractional", (t) => (t.tokens[0].id = 1.5), /^tokens\[0\]\.id is 1.5, not a whole number/],
    ["token text missing", (t) => delete t.tokens[2].text, /^tokens\[2\]\.text is not a string/],
    ["token source unknown", (t) => (t.tokens[3].source = "gpt"), /^tokens\[3\]\.source is not one of slm, llm/],
    ["token entropy above 1", (t) => (t.tokens[1].entropy = 2), /^tokens\[1\]\.entropy is 2, outside 0–1/],
    ["token entropy null (NaN in JSON)", (t) => (t.tokens[1].entropy = null), /^tokens\[1\]\.entropy is not a number/],
    ["switches missing", (t) => delete t.switches, /^switches is not a list/],
    ["switch index past the tokens", (t) => (t.switches[1].index = 5), /^switches\[1\]\.index is 5, outside 0–4/],
    ["switch to itself", (t) => (t.switches[0].to = "slm"), /^switches\[0\] hands over from slm to itself/],
    ["switches out of order", (t) => (t.switches[1].index = 1), /^switches\[1\]\.index 1 comes before/],
    ["switch entropy negative", (t) => (t.switches[0].entropy = -0.1), /^switches\[0\]\.entropy is -0.1/],
    ["switch from unknown", (t) => (t.switches[0].from = "SLM"), /^switches\[0\]\.from is not one of/],
    ["stats missing", (t) => delete t.stats, /^stats is not an object/],
    ["stats mode unknown", (t) => (t.stats.mode = "x"), /^stats\.mode is not one of/],
    ["stats slm missing", (t) => delete t.stats.slm, /^stats\.slm is not an object/],
    ["stats llm tokens fractional", (t) => (t.stats.llm.tokens = 0.5), /^stats\.llm\.tokens is 0.5, not a whole number/],
    ["stats llm share above 1", (t) => (t.stats.llmShare = 3), /^stats\.llmShare is 3, outside 0–1/],
    ["stats wallMs negative", (t) => (t.stats.wallMs = -5), /^stats\.wallMs is -5/],
    ["stats switches missing", (t) => delete t.stats.switches, /^stats\.switches is not a number/],
    ["stats draft wrong", (t) => (t.stats.draft = { proposed: "4", accepted: 3 }), /^stats\.draft\.proposed is not a number/],
    ["stats remote wrong", (t) => (t.stats.remote = { requests: 1, firstTokenMs: 2 }), /^stats\.remote\.unreported is not a number/],
    ["answer a number", (t) => (t.answer = 1692), /^answer is not a string/],
    ["answer missing", (t) => delete t.answer, /^answer is not a string/],
    ["stopReason unknown", (t) => (t.stopReason = "done"), /^stopReason is not one of eog, stopTrigger, budget, abort/],
];

for (const [name, edit, reason] of BAD) {
    test(`refused: ${name}`, () => {
        const raw = JSON.parse(traceJson(sample()));
        edit(raw);
        const parsed = parseTrace(JSON.stringify(raw));
        assert.equal(parsed.ok, false, "the damaged trace was accepted");
        if (!parsed.ok) {
            assert.match(parsed.reason, reason);
            assert.ok(parsed.reason.length < 200 && !parsed.reason.includes("\n    at "), `not one short line: ${parsed.reason}`);
        }
    });
}

test("refused: not JSON, not an object, too many tokens, too large, absurd nesting", () => {
    const cases: [string, RegExp][] = [
        ["{\"format\": \"rstitch-trace\",", /^it is not JSON/],
        ["", /^it is not JSON/],
        ["[1, 2]", /^the file is not an object/],
        ["null", /^the file is not an object/],
        [JSON.stringify({ ...JSON.parse(traceJson(sample())), tokens: new Array(200_001).fill(0) }), /^tokens has 200001 entries/],
        [" ".repeat(32 * 1024 * 1024 + 1), /^it is larger than 32 MiB/],
        ["[".repeat(100_000) + "]".repeat(100_000), /^(it is not JSON|the file is not an object|it cannot be read)/],
    ];
    for (const [text, reason] of cases) {
        const parsed = parseTrace(text);
        assert.equal(parsed.ok, false, `accepted ${text.slice(0, 40)}`);
        if (!parsed.ok) assert.match(parsed.reason, reason);
    }
});
