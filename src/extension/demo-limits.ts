/** The demo pair's limits in the editor's words: the check and the note live in src/models/demo-limits.ts. */
import { demoLimitNote, type DemoMisfit } from "../models/demo-limits.ts";

export { demoPairFits, type DemoContext, type DemoFit, type DemoMisfit } from "../models/demo-limits.ts";

const NEXT_STEP = "Download recommended models or choose your own for real questions.";

/** The sentence under a turn the demo pair answered (`ran`), or the question asked before running it. */
export function demoLimitMessage(fit: DemoMisfit, ran: boolean): string {
    return demoLimitNote(fit, ran, NEXT_STEP, "this answer");
}
