/**
 * Up in an empty question box recalls the questions sent before, newest first, as a terminal does;
 * Down goes forward again, and past the newest back to the empty box. Editing a recalled question
 * ends the recall (Up and Down move the caret again). Pure: main.ts feeds it the keys.
 */
export class Recall {
    /** Index of the question shown, while recalling. */
    private at: number | undefined;
    private shown = "";

    constructor(private readonly entries: () => readonly string[]) {}

    /** Up with the box holding `value`: the text to show instead, or undefined to leave the key alone. */
    up(value: string): string | undefined {
        const list = this.entries();
        if (this.at === undefined || value !== this.shown) {
            this.at = undefined;
            if (value !== "" || list.length === 0) return undefined;
            this.at = list.length;
        }
        if (this.at === 0) return undefined;
        this.at--;
        return (this.shown = list[this.at]!);
    }

    /** Down: the next question, "" past the newest, or undefined when not recalling. */
    down(value: string): string | undefined {
        if (this.at === undefined || value !== this.shown) {
            this.at = undefined;
            return undefined;
        }
        const list = this.entries();
        this.at++;
        if (this.at >= list.length) {
            this.at = undefined;
            return (this.shown = "");
        }
        return (this.shown = list[this.at]!);
    }

    reset(): void {
        this.at = undefined;
    }
}
