/**
 * The adaptive router's cost per token (issue 20: at most 0.05 ms): the features, the logistic score
 * and the bookkeeping, timed on distributions the size of the demo vocabulary (260 entries) and of a
 * tail reading on a real model (2,000 entries). A measurement, not a test (timings never assert).
 *
 *   node --import tsx tools/router-cost.ts [models/demo.calibration.json]
 */
import { readFileSync } from "node:fs";
import { parseCalibration } from "../src/stitch/calibration.ts";
import { RoutingState } from "../src/stitch/routing.ts";
import { seededRandom } from "../src/stitch/sampler.ts";

const file = process.argv[2] ?? "models/demo.calibration.json";
const read = parseCalibration(readFileSync(file, "utf8"));
if (!read.ok) throw new Error(`${file}: ${read.reason}`);
const c = read.calibration;
const router = { weights: { mean: c.router.mean, scale: c.router.scale, weights: c.router.weights, bias: c.router.bias }, cut: c.router.cut };

for (const size of [260, 2000]) {
    const random = seededRandom(size);
    const dists = Array.from({ length: 64 }, () => {
        const raw = Array.from({ length: size }, () => random() ** 8);
        const z = raw.reduce((a, x) => a + x, 0);
        return new Map(raw.map((p, i) => [i, p / z]));
    });
    const steps = 200_000 / (size / 260);
    // Every step is a hand-over point (H above τ): the router is asked each time, the most it can cost.
    const state = new RoutingState(c.router.tau, { routing: "router", router });
    const started = performance.now();
    for (let i = 0; i < steps; i++) {
        const d = state.decide("slm", 0.5, dists[i % dists.length]);
        state.wrote(d.next === "slm" ? "slm" : "llm", 0.5, i % 7 ? "3" : "\n");
    }
    const ms = (performance.now() - started) / steps;
    console.log(`${size} entries: ${(ms * 1000).toFixed(2)} µs per consulted token (${steps} tokens; router kept the SLM at ${state.stayed} of ${state.consulted})`);
}
