/**
 * The one table of decoding modes. The `Mode` type, the CLI's list and usage text, the trace and
 * webview validators, the settings enum and the benchmark's configurations all derive from it, so a
 * mode is added or removed here (and in its engine) only. No imports: every bundle uses it.
 */

/** Which decode loop runs a mode (src/stitch/engines.ts maps each to its loop). */
export type Engine = "stitch" | "draft-verify";

export interface ModeSpec {
    engine: Engine;
    /** "threshold": routed by the user's τ; 1: the SLM writes every token; 0: the LLM writes every token. */
    tau: "threshold" | 0 | 1;
    /** The SLM drafts tokens for the LLM to verify (the draft length `--draft` applies). */
    drafts: boolean;
    /** Refused when the LLM runs on a server: the engine needs the LLM's own model in this process. */
    needsLocalLlm: boolean;
    /** Offered by the editor's `rstitch.mode` setting; the others are CLI and benchmark peers. */
    editor: boolean;
    label: string;
    /** One sentence; the settings' enumDescription for editor modes. */
    description: string;
}

export const MODE_TABLE = {
    stitch: {
        engine: "stitch", tau: "threshold", drafts: false, needsLocalLlm: false, editor: true, label: "R-Stitch",
        description: "R-Stitch: the small model writes, the large one takes over where the small one is unsure (entropy above τ).",
    },
    slm: {
        engine: "stitch", tau: 1, drafts: false, needsLocalLlm: false, editor: true, label: "SLM only",
        description: "Small model only (baseline).",
    },
    llm: {
        engine: "stitch", tau: 0, drafts: false, needsLocalLlm: false, editor: true, label: "LLM only",
        description: "Large model only (baseline).",
    },
    speculative: {
        engine: "draft-verify", tau: 0, drafts: true, needsLocalLlm: true, editor: true, label: "Speculative",
        description: "Speculative decoding: the small model drafts, the large one verifies in one pass (output equals LLM-only).",
    },
} as const satisfies Record<string, ModeSpec>;

export type Mode = keyof typeof MODE_TABLE;

export const MODES = Object.keys(MODE_TABLE) as Mode[];

export const EDITOR_MODES = MODES.filter((m) => MODE_TABLE[m].editor);

export function modeSpec(mode: Mode): ModeSpec {
    return MODE_TABLE[mode];
}

export function usesTau(mode: Mode): boolean {
    return MODE_TABLE[mode].tau === "threshold";
}

/** The τ a mode decodes with: the user's, or the one it pins. */
export function effectiveThreshold(mode: Mode, threshold: number): number {
    const tau = MODE_TABLE[mode].tau;
    return tau === "threshold" ? threshold : tau;
}

/**
 * How the `stitch` mode decides a hand-over (src/stitch/routing.ts): the one table of routings, as
 * MODE_TABLE is of modes. The CLI's --routing, the `rstitch.routing` setting and the benchmark's rows
 * derive from it.
 */
export const ROUTING_TABLE = {
    threshold: { needsCalibration: false, label: "entropy τ", description: "The paper's rule: the LLM takes over where the SLM's entropy is above τ." },
    router: { needsCalibration: true, label: "router", description: "R-Stitch+: where the entropy rule would hand over, a router trained for the pair (a calibration) decides whether the SLM's token would be the LLM's anyway." },
    budget: { needsCalibration: true, label: "budget", description: "The router with its cut moved during each answer to hold a target LLM share (the speed–quality setting)." },
} as const satisfies Record<string, { needsCalibration: boolean; label: string; description: string }>;

export type Routing = keyof typeof ROUTING_TABLE;

export const ROUTINGS = Object.keys(ROUTING_TABLE) as Routing[];

/** Former mode names that old trace files and saved views may hold, and the mode each now reads as. */
export const FORMER_MODES: Readonly<Record<string, Mode>> = {
    "draft-verify": "speculative",
    "stitch-spec": "stitch",
    "stitch-eager": "stitch",
    // node-llama-cpp's draft predictor: a benchmark peer that was slower than the LLM alone everywhere; same tokens.
    "nlc-speculative": "speculative",
};

/** A mode read from a file: a former name becomes its current mode; anything else is returned as is (to be checked). */
export function currentModeName(value: unknown): unknown {
    return typeof value === "string" && Object.hasOwn(FORMER_MODES, value) ? FORMER_MODES[value] : value;
}
