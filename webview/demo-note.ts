/**
 * The note under an answer the embedded demo pair gave outside its task (Turn.demoNote): what it
 * knows, and why this answer means nothing. It stays with its turn; its buttons show only while the
 * demo pair is still the one in use (main.css, `body.demo-pair`). Host text: textContent only.
 */
export interface DemoNoteActions {
    chooseModels(): void;
    downloadModels(): void;
}

export function demoNoteElement(note: string, actions: DemoNoteActions): HTMLElement {
    const box = document.createElement("div");
    box.className = "demo-note";
    box.setAttribute("role", "note");
    const text = document.createElement("span");
    text.className = "demo-note-text";
    text.textContent = note;
    const buttons = document.createElement("div");
    buttons.className = "demo-note-actions";
    for (const [label, className, run] of [
        ["Download Recommended Models…", "demo-download", () => actions.downloadModels()],
        ["Choose Models…", "demo-choose", () => actions.chooseModels()],
    ] as const) {
        const b = document.createElement("vscode-button");
        b.className = className;
        b.setAttribute("appearance", "secondary");
        b.textContent = label;
        b.addEventListener("click", run);
        buttons.append(b);
    }
    box.append(text, buttons);
    return box;
}
