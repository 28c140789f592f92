/**
 * `bench --llm-cost-ratio R` / `--llm-layers N`: every row runs with the LLM replaced by its
 * zero-layer variant (src/evaluation/cost-variant.ts), which writes the same tokens at a higher
 * per-token cost. The ratio is reached by measuring and fitting a line in the layer count; the
 * layers and the measurements go into bench.json. Independent of modes: it only swaps a file.
 */
import { homedir } from "node:os";
import { resolve } from "node:path";
import { costVariantDir, makeCostVariant, sourceLayers, type CostVariant } from "../evaluation/cost-variant.ts";
import { GgufDamage } from "../gguf/validate.ts";
import { measureCosts } from "../evaluation/costs.ts";
import { demoModelPaths } from "../stitch/index.ts";
import { openPair, packageRoot, type ModelValues } from "./models.ts";
import { number } from "./options.ts";
import { UsageError } from "./usage.ts";

export const VARIANT_OPTIONS = {
    "llm-cost-ratio": { type: "string" },
    "llm-layers": { type: "string" },
} as const;

export interface VariantValues { "llm-cost-ratio"?: string; "llm-layers"?: string }

/** The model values with the LLM swapped for its variant (both files named), or undefined when not asked for. */
export async function withLlmVariant(
    v: ModelValues & VariantValues, sampleText: string, log: (line: string) => void,
): Promise<{ values: ModelValues; variant: CostVariant } | undefined> {
    const ratio = number("llm-cost-ratio", v["llm-cost-ratio"], 1, 1000);
    const layers = number("llm-layers", v["llm-layers"], 1, 4096, true);
    if (ratio === undefined && layers === undefined) return undefined;
    if (ratio !== undefined && layers !== undefined) throw new UsageError("Give --llm-cost-ratio or --llm-layers, not both.");
    if (v["llm-url"] !== undefined) throw new UsageError("--llm-cost-ratio and --llm-layers change a local LLM file; they do not go with --llm-url.");
    const demo = demoModelPaths(packageRoot());
    const slm = resolve(v.slm ?? demo.slm), llm = resolve(v.llm ?? demo.llm);
    const dir = costVariantDir({ env: process.env, platform: process.platform, home: homedir() });
    const measure = async (llmPath: string) => {
        const pair = await openPair({ ...v, slm, llm: llmPath });
        try {
            const c = await measureCosts(pair, sampleText);
            return { slmMs: c.slm.decodeMs, llmMs: c.llm.decodeMs };
        } finally {
            await pair.dispose();
        }
    };
    let own: number;
    try {
        own = sourceLayers(llm);
    } catch (e) {
        if (e instanceof GgufDamage) throw new UsageError(`Cannot build an LLM variant of ${llm}: ${e.message}`);
        throw e;
    }
    if (layers !== undefined && layers < own) throw new UsageError(`--llm-layers ${layers}: the LLM already has ${own} layers; a variant only adds layers.`);
    const variant = await makeCostVariant(llm, ratio !== undefined ? { ratio, measure } : { layers: layers! }, dir);
    const f = variant.fit;
    if (f) {
        log(`LLM cost ratio ${f.targetRatio}: measured ${f.points.map((p) => `${p.layers} layers ${p.llmMs.toFixed(3)} ms/token`).join(", ")} ` +
            `(SLM ${f.points[0].slmMs.toFixed(3)}); line ${f.fixedMs.toFixed(3)} + ${f.perLayerMs.toFixed(4)} × layers → ${f.layers} layers (predicted ratio ${f.predictedRatio.toFixed(1)})`);
    }
    log(`LLM variant: ${variant.path} (${variant.sourceLayers} layers of ${llm} + ${variant.layers - variant.sourceLayers} zero-output layers)`);
    return { values: { ...v, slm, llm: variant.path }, variant };
}
