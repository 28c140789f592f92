/**
 * What "Solve with R-Stitch" shows in its input box when it starts from an editor selection. Pure;
 * no `vscode` import. The input box holds one line (an HTML input drops line breaks), so a
 * multi-line selection is shown flattened; confirmed unchanged, the selection is sent as it is.
 */

/** The selection as one line: each line break (and the indentation after it) becomes one space. */
export function inputBoxValue(selection: string): string {
    return selection.replace(/[ \t]*\r?\n\s*/g, " ").trim();
}

/** The problem to send: the selection itself when the user confirmed its flattened form unchanged. */
export function problemFromInput(entered: string, selection: string | undefined): string {
    if (selection !== undefined && entered.trim() === inputBoxValue(selection)) return selection;
    return entered;
}
