// The pure parts of the rendered answer: source offsets onto tokens, the thinking/reply split, the
// incremental re-render boundary, and which links may be opened.
import assert from "node:assert/strict";
import { test } from "node:test";
import { alignToSource, attributedRuns, tokenAt, tokensIn } from "../../webview/markdown/attribution.ts";
import { IncrementalMarkdown, MAX_TAIL } from "../../webview/markdown/incremental.ts";
import { openableUrl } from "../../src/link-policy.ts";
import { parseMarkdown, texDelimitersToDollars } from "../../webview/markdown/parse.ts";
import { segmentTokens, splitOutput } from "../../webview/markdown/segments.ts";
import { codeRequest, linkToOpen } from "../../src/extension/webview-requests.ts";

/** Token starts of a list of token texts. */
function starts(texts: string[]): number[] {
    const out: number[] = [];
    let at = 0;
    for (const t of texts) {
        out.push(at);
        at += t.length;
    }
    return out;
}

test("each character of a node's text goes to the token that wrote it, markers and escapes skipped", () => {
    const toks = ["**bo", "ld** a", "\\*b"];
    const src = toks.join("");
    const root = parseMarkdown(src);
    const para = root.children[0];
    assert.equal(para.type, "paragraph");
    const t = segmentTokens(starts(toks), { from: 0, to: src.length });
    const runsOf = (node: { value: string; position?: { start: { offset?: number }; end: { offset?: number } } }) => {
        const offsets = alignToSource(node.value, src, node.position!.start.offset!, node.position!.end.offset!);
        return attributedRuns(node.value, offsets, t).map((r) => [r.text, r.token]);
    };
    type Leaf = Parameters<typeof runsOf>[0];
    const kids = (para as unknown as { children: { type: string; children: Leaf[] }[] }).children;
    assert.equal(kids[0].type, "strong");
    assert.deepEqual(runsOf(kids[0].children[0]), [["bo", 0], ["ld", 1]]);
    const rest = kids[1] as unknown as Leaf;
    // " a" from token 1, then the escaped "*" and "b" from token 2 (the backslash is skipped).
    assert.deepEqual(runsOf(rest), [[" a", 1], ["*b", 2]]);
});

test("fenced code: the info string never takes a character of the code", () => {
    const toks = ["```py", "thon\n", "print", "(1)\n```"];
    const src = toks.join("");
    const code = parseMarkdown(src).children[0] as { value: string; position: { start: { offset: number }; end: { offset: number } } };
    const from = src.indexOf("\n") + 1;
    const offsets = alignToSource(code.value, src, from, code.position.end.offset);
    const t = segmentTokens(starts(toks), { from: 0, to: src.length });
    assert.deepEqual(attributedRuns(code.value, offsets, t).map((r) => [r.text, r.token]), [["print", 2], ["(1)", 3]]);
});

test("tokenAt and tokensIn find tokens by source offset within a segment that starts mid-token", () => {
    const s = starts(["<think>ab", "cd", "</think>x"]);
    const t = segmentTokens(s, { from: 7, to: 11 });
    assert.deepEqual(t.ids, [0, 1]);
    assert.equal(tokenAt(t, 0), 0);
    assert.equal(tokenAt(t, 2), 1);
    assert.deepEqual(tokensIn(t, 1, 3), [0, 1]);
    assert.deepEqual(tokensIn(t, 2, 4), [1]);
});

test("the thinking and the reply are split at the think tags, which are never part of either", () => {
    const text = "<think>plan\n</think>\n\n**42**";
    const s = splitOutput(text, true);
    assert.equal(text.slice(s.thinking.from, s.thinking.to), "plan\n");
    assert.equal(text.slice(s.reply!.from, s.reply!.to), "\n\n**42**");
    // A closing tag half arrived is not shown; an opening one on its way shows nothing.
    const half = splitOutput("<think>plan</thi", false);
    assert.equal("<think>plan</thi".slice(half.thinking.from, half.thinking.to), "plan");
    assert.deepEqual(splitOutput("<thi", false).thinking, { from: 0, to: 0 });
    // The template opened the tag in the prompt: the closing tag alone splits.
    const closed = splitOutput("plan</think>ok", true);
    assert.equal("plan</think>ok".slice(closed.reply!.from), "ok");
    // The demo pair: the final "Answer:" line is the reply.
    const demo = "1 + 1 = 2\nAnswer: 2";
    const d = splitOutput(demo, true);
    assert.equal(demo.slice(d.thinking.from, d.thinking.to), "1 + 1 = 2\n");
    assert.equal(demo.slice(d.reply!.from), "Answer: 2");
    assert.equal(splitOutput("just text", true).reply, undefined);
});

test("TeX delimiters \\(…\\) and \\[…\\] become math of the same length (offsets unchanged)", () => {
    const src = "a \\(x^2\\) b\n\n\\[\ny\n\\]";
    const out = texDelimitersToDollars(src);
    assert.equal(out.length, src.length);
    const root = parseMarkdown(src);
    assert.equal(root.children[1].type, "math");
    const inline = (root.children[0] as { children: { type: string }[] }).children[1];
    assert.equal(inline.type, "inlineMath");
    assert.equal(texDelimitersToDollars("an escaped \\( alone"), "an escaped \\( alone");
});

test("streaming re-renders only the tail: finished blocks are committed once, in order, never again", () => {
    const doc = new IncrementalMarkdown();
    const full = "# Title\n\nfirst para\n\n- a\n- b\n\nlast para grows";
    const committed: string[] = [];
    let tail = "";
    for (let n = 1; n <= full.length; n++) {
        const plan = doc.update(full.slice(0, n), false);
        assert.equal(plan.reset, false, `reset at ${n}`);
        for (const p of plan.commit) for (const b of p.blocks) committed.push(p.src.slice(b.position!.start.offset, b.position!.end.offset));
        tail = plan.tail.blocks.map((b) => plan.tail.src.slice(b.position!.start.offset, b.position!.end.offset)).join("|");
    }
    assert.deepEqual(committed, ["# Title", "first para"]);
    assert.equal(tail, "- a\n- b|last para grows");
    // A text that is not a continuation starts over; the final update parses everything at once.
    assert.equal(doc.update("other", false).reset, true);
    const fin = doc.update(full, true);
    assert.equal(fin.reset, true);
    assert.equal(fin.commit[0].blocks.length, 4);
    assert.equal(fin.tail.blocks.length, 0);
});

test("one paragraph longer than the tail limit is committed up to a line end, so frames stay cheap", () => {
    const doc = new IncrementalMarkdown();
    const line = "step 12 * 34 = 408\n";
    const text = line.repeat(Math.ceil((MAX_TAIL * 1.5) / line.length));
    const plan = doc.update(text, false);
    assert.equal(plan.commit.length, 1);
    const tailLength = plan.tail.src.length;
    assert.ok(tailLength < MAX_TAIL, `tail of ${tailLength} characters`);
    assert.ok(plan.commit[0].src.endsWith("\n"));
    assert.equal(plan.commit[0].src.length + tailLength, text.length);
});

test("only http(s) and mailto links may be opened; every other scheme stays inert", () => {
    for (const ok of ["https://example.com/a?b#c", "http://x.org", "mailto:a@b.org"]) assert.ok(openableUrl(ok), ok);
    for (const bad of ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<b>", "file:///etc/passwd", "vscode://x", "command:workbench.action.quit",
        "/relative", "https://user:pw@x.org", "http://x.org/a b", "java\nscript:alert(1)", "", "x".repeat(3000)]) {
        assert.equal(openableUrl(bad), undefined, bad);
        assert.equal(linkToOpen({ url: bad }), undefined, `host: ${bad}`);
    }
    assert.equal(linkToOpen({ url: 42 }), undefined);
});

test("the host takes a code request only in the shape the view sends", () => {
    assert.deepEqual(codeRequest({ action: "insert", code: "x = 1", language: "py" }), { action: "insert", code: "x = 1", language: "python" });
    assert.deepEqual(codeRequest({ action: "apply", code: "" }), { action: "apply", code: "", language: undefined });
    assert.equal(codeRequest({ action: "rm -rf", code: "x" }), undefined);
    assert.equal(codeRequest({ action: "copy", code: 5 }), undefined);
    assert.equal(codeRequest({ action: "newFile", code: "x", language: "a b" }), undefined);
});
