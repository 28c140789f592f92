// axe-core (npm, exact-pinned devDependency) run inside a page or frame: the chat view's own
// document, under its CSP (playwright's evaluate is not subject to it). Returns the violations
// counted by impact, and the serious and critical ones to report.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let source;

/** @param {import("playwright-core").Page | import("playwright-core").Frame} target */
export async function runAxe(target) {
    source ??= readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
    if (!(await target.evaluate(() => typeof window.axe === "object"))) await target.evaluate(source);
    const violations = await target.evaluate(async () => {
        // WCAG 2.x A and AA rules plus axe's best practices: what a reviewer would run.
        const r = await window.axe.run(document, { resultTypes: ["violations"] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, where: v.nodes.slice(0, 2).map((n) => n.target.join(" ")) }));
    });
    const counts = { critical: 0, serious: 0, moderate: 0, minor: 0 };
    for (const v of violations) counts[v.impact ?? "minor"] += v.nodes;
    const severe = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    return { counts, violations, severe, summary: Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(", ") };
}

export function describeViolations(list) {
    return list.map((v) => `${v.id} (${v.impact}, ${v.nodes}×: ${v.help}; e.g. ${v.where.join(" | ")})`).join("; ");
}
