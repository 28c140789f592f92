import { test } from "node:test";
import assert from "node:assert/strict";
import { MODE_TABLE, MODES } from "../../src/modes.ts";
import { benchChart, overlaps, placeLabel, type LabelBox } from "../../src/evaluation/chart.ts";
import type { BenchResult, ConfigResult } from "../../src/evaluation/bench.ts";

function row(id: string, mode: string, backend: string, accuracy: number, speedup: number, extra: object = {}): ConfigResult {
    return { config: { id, label: id, mode, backend, ...extra }, accuracy, speedup, llmShare: 0.1, problems: 100 } as unknown as ConfigResult;
}

// The shape of the run that overlapped before: a dozen rows within 0.5× of each other at one accuracy,
// and a weak SLM far off on both axes.
const result = {
    configs: [
        row("llm", "llm", "node-llama-cpp", 0.93, 1),
        row("slm", "slm", "node-llama-cpp", 0.49, 3.57),
        // Every drafting mode of the table at three draft lengths, all within 0.5× of each other.
        ...MODES.filter((m) => MODE_TABLE[m].drafts).flatMap((m, i) => [2, 4, 8].map((d, j) =>
            row(`${m}-${d}`, m, "node-llama-cpp", 0.93, 0.9 + 0.07 * (3 * i + j), { draftTokens: d }))),
        row("stitch-0.01", "stitch", "node-llama-cpp", 0.93, 1.34, { threshold: 0.01 }),
        row("stitch-0.03", "stitch", "node-llama-cpp", 0.9, 1.57, { threshold: 0.03 }),
        row("stitch-0.02", "stitch", "node-llama-cpp", 0.9, 1.51, { threshold: 0.02 }),
        row("llama.cpp-llm", "llm", "llama.cpp", 0.93, 1.52),
        row("llama.cpp-slm", "slm", "llama.cpp", 0.49, 8.43),
        row("llama.cpp-speculative-4", "speculative", "llama.cpp", 0.93, 1.71, { draftTokens: 4 }),
    ],
} as unknown as BenchResult;

/** The label boxes the chart drew inside its plot (text at font size 10), as the layout sizes them. */
function labelBoxes(svg: string): (LabelBox & { text: string })[] {
    return [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)" font-size="10"(?: font-weight="700")?>([^<]*)<\/text>/g)]
        .map((m) => ({ x: Number(m[1]), y: Number(m[2]), w: m[3].replace(/&[a-z]+;/g, "x").length * 6, text: m[3] }));
}

test("every configuration gets a label and no two labels overlap", () => {
    const svg = benchChart(result, "fixture");
    const boxes = labelBoxes(svg).filter((b) => b.text !== "LLM accuracy − 1 point");
    assert.equal(boxes.length, result.configs.length);
    for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) assert.ok(!overlaps(boxes[i], boxes[j]), `"${boxes[i].text}" overlaps "${boxes[j].text}"`);
    }
});

test("the speedup axis is logarithmic: 0.5× and 2× are equally far from 1×", () => {
    const svg = benchChart(result, "fixture");
    const tick = (v: string) => Number(new RegExp(`<text x="([\\d.]+)" y="[\\d.]+" font-size="11" text-anchor="middle">${v}×</text>`).exec(svg)![1]);
    assert.ok(Math.abs((tick("1") - tick("0.5")) - (tick("2") - tick("1"))) < 0.01);
});

test("a row far below LLM-only sits on the axis floor with its accuracy in its label", () => {
    const svg = benchChart(result, "fixture");
    assert.match(svg, /accuracy \(axis from \d+%\)/);
    assert.ok(labelBoxes(svg).some((b) => b.text === "SLM (49%)"));
});

test("placeLabel steps away from taken boxes and stays inside the bounds", () => {
    const bounds = { left: 0, right: 300, top: 0, bottom: 300 };
    const taken: LabelBox[] = [];
    for (let i = 0; i < 10; i++) taken.push(placeLabel(150, 150, 60, taken, bounds));
    for (let i = 0; i < taken.length; i++) {
        assert.ok(taken[i].x >= 0 && taken[i].x + taken[i].w <= 300);
        for (let j = i + 1; j < taken.length; j++) assert.ok(!overlaps(taken[i], taken[j]));
    }
});
