/**
 * The extension's settings: their bounds and defaults in one table, and a validator that turns raw
 * configuration values into usable ones. Bad values never throw: each becomes a warning that names
 * the setting and the value used instead. No `vscode` import, so it is unit-tested in plain Node.
 * package.json's `contributes.configuration` mirrors this table (a unit test keeps them equal).
 */
import { DEFAULT_BUDGET, DEFAULT_CONTEXT_SIZE, DEFAULT_THRESHOLD } from "./decoder.ts";
import { EDITOR_MODES, ROUTINGS, type Routing } from "../modes.ts";
import type { Mode } from "../protocol.ts";
import { normaliseServerUrl } from "../stitch/remote/server-client.ts";
import { SERVER_APIS, type ServerApi } from "../stitch/remote/server-api.ts";

export const SECTION = "rstitch";

/** The modes the editor offers (src/modes.ts); package.json's `rstitch.mode` enum lists the same (test/unit/modes.test.ts). */
export const MODES: readonly Mode[] = EDITOR_MODES;

export interface Settings {
    entropyThreshold: number;
    tokenBudget: number;
    mode: Mode;
    /** Empty: the embedded demo model. */
    slmModelPath: string;
    llmModelPath: string;
    temperature: number;
    contextSize: number;
    /** 0: let the decoder choose. */
    threads: number;
    gpuLayers: number;
    /** Empty: the LLM runs here. Else the llama-server that runs it (its API key is in SecretStorage). */
    llmServerUrl: string;
    /** Seconds to wait for the LLM server before giving up. */
    llmServerTimeout: number;
    /** The API the LLM server speaks: auto (detected), llama (llama-server's own), openai (/v1/completions). */
    llmServerApi: ServerApi;
    /** stitch: the entropy rule, the calibrated router, or the budget holding `llmShare`. */
    routing: Routing;
    llmShare: number;
}

export type SettingKey = keyof Settings;

type NumberSpec = { kind: "number" | "integer"; default: number; minimum: number; maximum: number };
type SettingSpec = NumberSpec | { kind: "enum"; default: string; values: readonly string[] } | { kind: "path"; default: string } | { kind: "url"; default: string };

export const SETTING_SPECS: { [K in SettingKey]: SettingSpec } = {
    entropyThreshold: { kind: "number", default: DEFAULT_THRESHOLD, minimum: 0, maximum: 1 },
    tokenBudget: { kind: "integer", default: DEFAULT_BUDGET, minimum: 16, maximum: 8192 },
    mode: { kind: "enum", default: "stitch", values: MODES },
    slmModelPath: { kind: "path", default: "" },
    llmModelPath: { kind: "path", default: "" },
    temperature: { kind: "number", default: 0, minimum: 0, maximum: 2 },
    contextSize: { kind: "integer", default: DEFAULT_CONTEXT_SIZE, minimum: 256, maximum: 131072 },
    threads: { kind: "integer", default: 0, minimum: 0, maximum: 256 },
    gpuLayers: { kind: "integer", default: 0, minimum: 0, maximum: 999 },
    llmServerUrl: { kind: "url", default: "" },
    llmServerTimeout: { kind: "number", default: 60, minimum: 1, maximum: 3600 },
    llmServerApi: { kind: "enum", default: "auto", values: SERVER_APIS },
    routing: { kind: "enum", default: "threshold", values: ROUTINGS },
    llmShare: { kind: "number", default: 0.06, minimum: 0, maximum: 1 },
};

/**
 * Each setting's key under `rstitch.`. VS Code titles a setting by its key alone (camelCase split
 * into words, capitalised), so an acronym is written in capitals: `SLMModelPath` reads "SLM Model
 * Path" where `slmModelPath` read "Slm Model Path".
 */
export const SETTING_KEYS: { readonly [K in SettingKey]: string } = {
    entropyThreshold: "entropyThreshold",
    tokenBudget: "tokenBudget",
    mode: "mode",
    slmModelPath: "SLMModelPath",
    llmModelPath: "LLMModelPath",
    temperature: "temperature",
    contextSize: "contextSize",
    threads: "threads",
    gpuLayers: "GPULayers",
    llmServerUrl: "LLMServerURL",
    llmServerTimeout: "LLMServerTimeout",
    llmServerApi: "LLMServerAPI",
    routing: "routing",
    llmShare: "LLMShare",
};

/**
 * Keys that earlier builds used for the settings renamed above. A value under one of them is still
 * read where the new key is unset at that scope, and is moved to the new key (settings-migration.ts).
 */
export const FORMER_KEYS: { readonly [K in SettingKey]?: string } = {
    slmModelPath: "slmModelPath",
    llmModelPath: "llmModelPath",
    gpuLayers: "gpuLayers",
    llmServerUrl: "llmServerUrl",
    llmServerTimeout: "llmServerTimeout",
};

/** The full configuration id of a setting, as users see it in settings.json and messages. */
export const settingId = (key: SettingKey): string => `${SECTION}.${SETTING_KEYS[key]}`;

/** What `inspect` reports of a key at the scopes a user writes. */
export interface ScopedValues {
    globalValue?: unknown;
    workspaceValue?: unknown;
    workspaceFolderValue?: unknown;
}

const SCOPES_MOST_SPECIFIC_FIRST = ["workspaceFolderValue", "workspaceValue", "globalValue"] as const;

/**
 * Settings that name a file or a server. A workspace someone else wrote could otherwise load any file
 * as a model or send the user's questions and code to a server of its choosing, so until the user
 * trusts the workspace only their own (user) value counts. package.json's
 * `restrictedConfigurations` lists exactly these, former keys included (a unit test keeps it so).
 */
export const RESTRICTED_SETTINGS: readonly SettingKey[] = (Object.keys(SETTING_SPECS) as SettingKey[])
    .filter((key) => SETTING_SPECS[key].kind === "path" || SETTING_SPECS[key].kind === "url");

/** Every configuration id a workspace must not set while untrusted: current keys and former ones. */
export function restrictedSettingIds(): string[] {
    return RESTRICTED_SETTINGS.flatMap((key) => {
        const former = FORMER_KEYS[key];
        return former === undefined ? [settingId(key)] : [settingId(key), `${SECTION}.${former}`];
    });
}

/**
 * The value in effect for one setting: the most specific scope that sets either key wins, and at one
 * scope the current key wins over the former one (a renamed value not yet moved still counts).
 * Undefined: neither is set (the default). A restricted setting in an untrusted workspace reads the
 * user scope alone: VS Code already hides such workspace values, and this keeps it so on our side.
 */
export function resolveSetting(current: ScopedValues | undefined, former: ScopedValues | undefined, opts: { restricted: boolean; trusted: boolean }): unknown {
    const userOnly = opts.restricted && !opts.trusted;
    for (const scope of SCOPES_MOST_SPECIFIC_FIRST) {
        if (userOnly && scope !== "globalValue") continue;
        if (current?.[scope] !== undefined) return current[scope];
        if (former?.[scope] !== undefined) return former[scope];
    }
    return undefined;
}

/** True when a model path, as the user wrote it, points into the open workspace (relative or `${workspaceFolder}`). */
export function pointsIntoWorkspace(raw: string, isAbsolute: (p: string) => boolean): boolean {
    if (raw === "") return false;
    if (raw.includes("${workspaceFolder}")) return true;
    if (raw === "~" || raw.startsWith("~/") || raw.startsWith("~\\") || raw.startsWith("${userHome}")) return false;
    return !isAbsolute(raw);
}

/** Settings whose change needs the model pair reloaded. */
export const MODEL_SETTINGS: readonly SettingKey[] = ["slmModelPath", "llmModelPath", "contextSize", "threads", "gpuLayers", "llmServerUrl", "llmServerTimeout", "llmServerApi"];

export interface SettingsResult {
    settings: Settings;
    /** Human-readable, one per rejected or adjusted value. */
    warnings: string[];
}

const show = (v: unknown): string => (typeof v === "string" ? JSON.stringify(v) : String(v));

function validateNumber(key: SettingKey, raw: unknown, spec: NumberSpec, warnings: string[]): number {
    const num = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
    if (typeof num !== "number" || !Number.isFinite(num)) {
        warnings.push(`${settingId(key)}: ${show(raw)} is not a number; using ${spec.default}.`);
        return spec.default;
    }
    let value = num;
    if (spec.kind === "integer" && !Number.isInteger(value)) {
        value = Math.round(value);
        warnings.push(`${settingId(key)}: ${show(raw)} is not a whole number; using ${value}.`);
    }
    if (value < spec.minimum) {
        warnings.push(`${settingId(key)}: ${show(raw)} is below the minimum ${spec.minimum}; using ${spec.minimum}.`);
        return spec.minimum;
    }
    if (value > spec.maximum) {
        warnings.push(`${settingId(key)}: ${show(raw)} is above the maximum ${spec.maximum}; using ${spec.maximum}.`);
        return spec.maximum;
    }
    return value;
}

/**
 * Validates raw values (as read from the configuration; missing keys take their defaults).
 * `get(key)` returns the raw value or undefined.
 */
export function validateSettings(get: (key: SettingKey) => unknown): SettingsResult {
    const warnings: string[] = [];
    const out: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(SETTING_SPECS) as [SettingKey, SettingSpec][]) {
        const raw = get(key);
        if (raw === undefined || raw === null) {
            out[key] = spec.default;
        } else if (spec.kind === "enum") {
            if (typeof raw === "string" && spec.values.includes(raw)) out[key] = raw;
            else {
                warnings.push(`${settingId(key)}: ${show(raw)} is not one of ${spec.values.join(", ")}; using ${spec.default}.`);
                out[key] = spec.default;
            }
        } else if (spec.kind === "url") {
            const checked = typeof raw === "string" && raw.trim() !== "" ? normaliseServerUrl(raw) : { url: "" };
            if ("url" in checked) out[key] = checked.url;
            else {
                warnings.push(`${settingId(key)}: ${checked.error} Using the local LLM.`);
                out[key] = "";
            }
        } else if (spec.kind === "path") {
            if (typeof raw === "string") out[key] = raw.trim();
            else {
                warnings.push(`${settingId(key)}: ${show(raw)} is not a file path; using the demo model.`);
                out[key] = "";
            }
        } else {
            out[key] = validateNumber(key, raw, spec, warnings);
        }
    }
    return { settings: out as unknown as Settings, warnings };
}

export interface PathContext {
    home: string;
    /** First workspace folder, for relative paths; undefined when none is open. */
    workspaceFolder?: string;
}

/**
 * Expands a model path as users write it: `~/…`, `${workspaceFolder}/…`, `${userHome}/…`, or a path
 * relative to the workspace folder. Empty stays empty (the demo model).
 */
export function expandModelPath(raw: string, ctx: PathContext, join: (...p: string[]) => string, isAbsolute: (p: string) => boolean): string {
    if (raw === "") return "";
    let p = raw.replaceAll("${userHome}", ctx.home);
    if (ctx.workspaceFolder !== undefined) p = p.replaceAll("${workspaceFolder}", ctx.workspaceFolder);
    if (p === "~") p = ctx.home;
    else if (p.startsWith("~/") || p.startsWith("~\\")) p = join(ctx.home, p.slice(2));
    if (!isAbsolute(p) && ctx.workspaceFolder !== undefined) p = join(ctx.workspaceFolder, p);
    return p;
}
