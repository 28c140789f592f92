// One line per check, a tally, and the closing "N passed, N failed" line the harness ends with.
export class Checks {
    passed = 0;
    failed = 0;

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

    add(other) { this.passed += other.passed; this.failed += other.failed; }
}

export function assert(cond, message) {
    if (!cond) throw new Error(message);
}
