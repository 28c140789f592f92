import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { CodeActions } from "../../src/extension/code-actions.ts";

/** The diff tabs open now whose right side is one of our proposals. */
function proposalDiffs(scheme: string): vscode.TabInputTextDiff[] {
    return vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.input)
        .filter((i): i is vscode.TabInputTextDiff => i instanceof vscode.TabInputTextDiff && i.modified.scheme === scheme);
}

describe("code actions: a code block of an answer into the editor", function () {
    const scheme = "rstitch-proposal-test";
    let answer = false;
    let asked: { diffs: number; text: string } | undefined;
    let doc: vscode.TextDocument;
    const actions = new CodeActions(async () => {
        // What the user sees when asked: the diff is open, the file not yet changed.
        asked = { diffs: proposalDiffs(scheme).length, text: doc.getText() };
        return answer;
    }, scheme);
    after(() => actions.dispose());

    async function editorWith(text: string, selection: vscode.Selection): Promise<vscode.TextEditor> {
        doc = await vscode.workspace.openTextDocument({ content: text, language: "python" });
        const editor = await vscode.window.showTextDocument(doc);
        editor.selection = selection;
        return editor;
    }

    it("Insert at Cursor puts the code where the cursor is", async () => {
        await editorWith("a = 1\nb = 2\n", new vscode.Selection(1, 0, 1, 0));
        const said = await actions.run({ action: "insert", code: "c = 3\n", language: "python" });
        assert.equal(said, "code inserted");
        assert.equal(doc.getText(), "a = 1\nc = 3\nb = 2\n");
    });

    it("Apply to Selection shows a diff first and changes the file only after it is accepted", async () => {
        const original = "def f():\n    return 1\n";
        await editorWith(original, new vscode.Selection(1, 4, 1, 12));
        answer = false;
        asked = undefined;
        assert.equal(await actions.run({ action: "apply", code: "return 2", language: "python" }), "code not applied");
        assert.deepEqual(asked, { diffs: 1, text: original }, "the question came without a diff open, or after a change");
        assert.equal(doc.getText(), original, "a rejected diff changed the file");
        assert.equal(proposalDiffs(scheme).length, 0, "the diff stays open after the answer");

        await vscode.window.showTextDocument(doc).then((e) => (e.selection = new vscode.Selection(1, 4, 1, 12)));
        answer = true;
        asked = undefined;
        assert.equal(await actions.run({ action: "apply", code: "return 2", language: "python" }), "code applied");
        assert.deepEqual(asked, { diffs: 1, text: original }, "the file changed before the user accepted");
        assert.equal(doc.getText(), "def f():\n    return 2\n");
    });

    it("Open in New File opens the code in an untitled document of the block's language", async () => {
        assert.equal(await actions.run({ action: "newFile", code: "print(1)\n", language: "python" }), "code opened in a new file");
        const e = vscode.window.activeTextEditor;
        assert.equal(e?.document.getText(), "print(1)\n");
        assert.equal(e?.document.languageId, "python");
        assert.equal(e?.document.isUntitled, true);
    });
});
