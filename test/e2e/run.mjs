// `npm run test:editor`: phase W (the chat view's page alone in Chromium: hostile output, malformed
// messages), phase A (in-host suite), phase T (Restricted Mode, workspace trust on) then phase B (the
// .vsix, through the UI), each in a fresh
// code-server. Ends with "N passed, N failed"; exits non-zero on any failure.
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
    console.log(`  (${checks.passed} passed, ${checks.failed} failed in ${seconds(Date.now() - t)})\n`);
    total.add(checks);
}
console.log(`${total.passed} passed, ${total.failed} failed (${seconds(Date.now() - t0)})`);
process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
