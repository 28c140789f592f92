// Runs one phase by name (w | a | t | b), for debugging: node test/e2e/run-phase.mjs b
import { phaseA } from "./phase-a.mjs";
import { phaseB } from "./phase-b.mjs";
import { phaseTrust } from "./phase-trust.mjs";
import { phaseWebview } from "./phase-webview.mjs";

const which = process.argv[2];
const phases = { w: phaseWebview, a: phaseA, t: phaseTrust, b: phaseB };
if (!phases[which]) { console.error("usage: run-phase.mjs w|a|t|b"); process.exit(2); }
const checks = await phases[which]();
console.log(checks.summary());
process.exit(checks.failed > 0 || checks.passed === 0 ? 1 : 0);
