/**
 * One Tab stop per turn (a roving tabindex): the turn's controls (the thinking fold, the trace, the
 * copy buttons, whatever a turn gains later) take turns at being its one stop, so Tab goes from turn
 * to turn and on to the question box. Up/Down move between a turn's controls (Left/Right too, except
 * on the trace, where they move the token cursor); Tab stays on the control last used.
 */

/** The next control's index among `count`, or undefined when the key is not a move. Pure. */
export function nextStop(index: number, count: number, key: string, onTrace: boolean): number | undefined {
    if (count <= 0) return undefined;
    const back = key === "ArrowUp" || (!onTrace && key === "ArrowLeft");
    const forward = key === "ArrowDown" || (!onTrace && key === "ArrowRight");
    if (back) return Math.max(index - 1, 0);
    if (forward) return Math.min(index + 1, count - 1);
    if (!onTrace && key === "Home") return 0;
    if (!onTrace && key === "End") return count - 1;
    return undefined;
}

const CONTROL = "summary, .trace, vscode-button, button, a[href], input, select, textarea, [tabindex='0'], [data-stop]";

/** Shown: no ancestor up to `root` is hidden, and it is not inside a folded <details> (its summary is). */
function shown(el: HTMLElement, root: HTMLElement): boolean {
    for (let n: HTMLElement | null = el; n && n !== root.parentElement; n = n.parentElement) {
        if (n.hidden) return false;
        const parent: HTMLElement | null = n.parentElement;
        if (parent instanceof HTMLDetailsElement && !parent.open && !(n.localName === "summary" && n === parent.querySelector(":scope > summary"))) return false;
    }
    return true;
}

export class RovingStops {
    private current: HTMLElement | undefined;

    constructor(private readonly root: HTMLElement) {
        root.addEventListener("focusin", (e) => {
            const c = this.controls().find((el) => el === e.target || el.contains(e.target as Node));
            if (c) this.setCurrent(c);
        });
        root.addEventListener("keydown", (e) => this.onKey(e));
    }

    /** The turn's shown, enabled controls in page order. */
    controls(): HTMLElement[] {
        return Array.from(this.root.querySelectorAll<HTMLElement>(CONTROL)).filter((el) => !el.hasAttribute("disabled") && shown(el, this.root));
    }

    /** Call after controls appear, vanish or fold: keeps exactly one of them in the Tab order. */
    sync(): void {
        const controls = this.controls();
        this.setCurrent(this.current && controls.includes(this.current) ? this.current : controls[0]);
    }

    private setCurrent(keep: HTMLElement | undefined): void {
        this.current = keep;
        for (const el of Array.from(this.root.querySelectorAll<HTMLElement>(CONTROL))) {
            el.dataset.stop = "";
            el.tabIndex = el === keep ? 0 : -1;
        }
    }

    private onKey(e: KeyboardEvent): void {
        if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
        const controls = this.controls();
        const i = controls.findIndex((el) => el === e.target || el.contains(e.target as Node));
        if (i < 0) return;
        const next = nextStop(i, controls.length, e.key, controls[i].classList.contains("trace"));
        if (next === undefined || next === i) return;
        e.preventDefault();
        this.setCurrent(controls[next]);
        controls[next].focus();
    }
}
