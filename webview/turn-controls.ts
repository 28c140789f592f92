/**
 * The chat's own controls on a turn: Edit on each question of the conversation (it goes back into
 * the question box; Send replaces it and the turns after it) and Regenerate on the last answer.
 * Added to a rendered turn from outside (render.ts draws the turn, this only adds buttons), shown
 * only on turns that are part of the conversation's memory: not opened traces, not questions asked
 * in VS Code's chat.
 */
import type { Turn } from "../src/protocol.ts";
import { ICONS, iconButton } from "./icons.ts";
import type { TurnView } from "./render.ts";

export interface TurnControlActions {
    edit(turn: Turn): void;
    regenerate(turnId: string): void;
}

/** A turn the user can edit or regenerate: one of this conversation's own questions. */
export function editable(turn: Turn): boolean {
    return turn.openedFrom === undefined && turn.askedIn === undefined;
}

export function addTurnControls(view: TurnView, turn: Turn, actions: TurnControlActions): void {
    if (!editable(turn)) return;
    const edit = iconButton("Edit question and resend", "edit-question", ICONS.edit);
    edit.addEventListener("click", () => actions.edit(turn));
    view.root.querySelector(".question")?.prepend(edit);
    const regenerate = iconButton("Regenerate answer", "regenerate", ICONS.regenerate);
    regenerate.hidden = true;
    regenerate.addEventListener("click", () => actions.regenerate(turn.id));
    view.root.querySelector(".actions")?.prepend(regenerate);
}

/** Regenerate shows on the last turn only; neither works while an answer is being written. */
export function syncTurnControls(root: ParentNode, lastTurnId: string | undefined, busy: boolean): void {
    for (const b of Array.from(root.querySelectorAll<HTMLElement>(".regenerate"))) {
        b.hidden = (b.closest("section.turn") as HTMLElement | null)?.dataset.turnId !== lastTurnId;
    }
    for (const b of Array.from(root.querySelectorAll<HTMLElement>(".regenerate, .edit-question"))) {
        if (busy) b.setAttribute("disabled", "");
        else b.removeAttribute("disabled");
    }
}
