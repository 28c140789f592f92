// `npm run test:editor`: phase W (the chat view's page alone in Chromium: hostile output, malformed
// messages), phase A (in-host suite), phase T (Restricted Mode, workspace trust on) then phase B (the
// .vsix, through the UI), each in a fresh code-server. Prints one line per phase with its skipped
// count, and ends with "N passed, N failed" (", N skipped" when any were) alone on a line; exits
// non-zero on any failure.
import { phaseA } from "./phase-a.mjs";
import { phaseB } from "./phase-b.mjs";
import { phaseTrust } from "./phase-trust.mjs";
import { phaseWebview } from "./phase-webview.mjs";
import { Checks } from "./lib/checks.mjs";
import { seconds } from "./lib/scratch.mjs";

const total = new Checks("all");
const t0 = Date.now();
for (const phase of [phaseWebview, phaseA, phaseTrust, phaseB]) {
    const t = Date.now();
    const checks = await phase();
    console.log(`  (phase ${checks.phase}: ${checks.passed} passed, ${checks.failed} failed, ${checks.skipped} skipped in ${seconds(Date.now() - t)})\n`);
    total.add(checks);
}
console.log(`editor phases took ${seconds(Date.now() - t0)}`);
console.log(total.summary());
process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
