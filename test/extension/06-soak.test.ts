/**
 * Soak: model reloads caused by settings changes and ten solves after each, inside the real extension
 * host. Memory must level off: a leak of one pair per reload (the demo pair is ~16 MB of weights plus
 * two contexts) or of one turn's buffers per solve would show as steady growth over the last rounds.
 * By default 8 rounds (80 solves, well inside phase A's 15-minute cap); a long soak is opt-in:
 * RSTITCH_SOAK_RELOADS=20 (phase A then extends its cap by a minute per round, test/e2e/phase-a.mjs).
 */
import * as assert from "node:assert/strict";
import { api, finished, resetSettings, setSetting, solve, useTestPair } from "./helpers.ts";

const RELOADS = Number(process.env.RSTITCH_SOAK_RELOADS ?? 8);
/** Each round is ten short solves on the demo pair (seconds): a minute per round is far more than it needs. */
const MS_PER_ROUND = 60_000;
const SOLVES_PER_RELOAD = 10;
const PROBLEMS = ["What is 17 + 25?", "What is 63 - 28?", "What is 7 * 8?", "What is 41 + 39?", "What is 12 * 34?"];
/** Growth allowed over the second half of the run: below one leaked pair per reload (≥ 4 × ~20 MB). */
const MAX_LATE_GROWTH_MB = 48;

const mb = (bytes: number) => bytes / 1048576;

describe("soak: reloads through settings and many solves", function () {
    this.timeout(RELOADS * MS_PER_ROUND);
    before(async () => {
        await useTestPair();
        await setSetting("tokenBudget", 96);
        await setSetting("mode", "stitch");
    });
    after(resetSettings);

    it(`${RELOADS} reloads and ${RELOADS * SOLVES_PER_RELOAD} solves keep memory bounded`, async () => {
        const a = await api();
        const rss: number[] = [];
        const loadsBefore = a.pairLoads();
        let answered = 0;
        for (let round = 0; round < RELOADS; round++) {
            // Threads is a model setting: each change makes the next request load a fresh pair.
            await setSetting("threads", 1 + (round % 2));
            for (let i = 0; i < SOLVES_PER_RELOAD; i++) {
                const result = finished(await solve(PROBLEMS[(round + i) % PROBLEMS.length]));
                assert.ok(result.turn.tokens.length > 0, "every solve writes tokens");
                answered++;
            }
            global.gc?.();
            rss.push(process.memoryUsage().rss);
        }
        const reloads = a.pairLoads() - loadsBefore;
        const half = Math.floor(RELOADS / 2);
        const lateGrowth = mb(rss[RELOADS - 1] - rss[half - 1]);
        const line = rss.map((r) => mb(r).toFixed(0)).join(" ");
        console.log(`      soak: ${reloads} pair loads, ${answered} solves; RSS after each round (MB): ${line}`);
        console.log(`      soak: growth over rounds ${half + 1}–${RELOADS}: ${lateGrowth.toFixed(1)} MB (peak ${mb(Math.max(...rss)).toFixed(0)} MB)`);
        assert.equal(answered, RELOADS * SOLVES_PER_RELOAD);
        assert.ok(reloads >= RELOADS, `each settings change reloads the pair: ${reloads} loads for ${RELOADS} changes`);
        assert.ok(lateGrowth < MAX_LATE_GROWTH_MB, `RSS grew ${lateGrowth.toFixed(1)} MB over the last ${RELOADS - half} rounds (${line})`);
    });
});
