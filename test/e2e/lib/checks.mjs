// One line per check, a tally, and the closing "N passed, N failed, N skipped" line the harness ends with.
export class Checks {
    passed = 0;
    failed = 0;
    /** Checks that did not run (an in-host test marked pending): reported, and never counted as passed. */
    skipped = 0;

    /** Optional async (checkName) => void, called after a failed check (e.g. to take a screenshot). */
    onFail = undefined;

    constructor(phase) { this.phase = phase; }

    pass(name, detail = "") {
        this.passed++;
        console.log(`  ✓ [${this.phase}] ${name}${detail ? ` — ${detail}` : ""}`);
    }

    fail(name, error) {
        this.failed++;
        const msg = error instanceof Error ? error.message.split("\n").slice(0, 6).join("\n      ") : String(error);
        console.log(`  ✗ [${this.phase}] ${name} — ${msg}`);
    }

    skip(name, reason = "") {
        this.skipped++;
        console.log(`  - [${this.phase}] ${name} — skipped${reason ? `: ${reason}` : ""}`);
    }

    /** Runs fn; its return value (a string) is the detail. A throw fails the check. */
    async check(name, fn) {
        try {
            const detail = await fn();
            this.pass(name, typeof detail === "string" ? detail : "");
            return true;
        } catch (e) {
            this.fail(name, e);
            await this.onFail?.(name).catch(() => {});
            return false;
        }
    }

    add(other) { this.passed += other.passed; this.failed += other.failed; this.skipped += other.skipped; }

    /** The tally as CI reads it: "N passed, N failed", then ", N skipped" when any were. */
    summary() { return `${this.passed} passed, ${this.failed} failed${this.skipped ? `, ${this.skipped} skipped` : ""}`; }
}

export function assert(cond, message) {
    if (!cond) throw new Error(message);
}
