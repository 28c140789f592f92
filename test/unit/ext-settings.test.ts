import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { test } from "node:test";
import { expandModelPath, FORMER_KEYS, SETTING_KEYS, SETTING_SPECS, validateSettings, resolveSetting, pointsIntoWorkspace, restrictedSettingIds, RESTRICTED_SETTINGS, type ScopedValues, type SettingKey } from "../../src/extension/settings-schema.ts";
import { DEFAULT_BUDGET, DEFAULT_CONTEXT_SIZE, DEFAULT_THRESHOLD } from "../../src/stitch/index.ts";

const from = (values: Partial<Record<SettingKey, unknown>>) => validateSettings((k) => values[k]);

test("missing values take the defaults, which come from the decoder", () => {
    const { settings, warnings } = from({});
    assert.deepEqual(warnings, []);
    assert.equal(settings.entropyThreshold, DEFAULT_THRESHOLD);
    assert.equal(settings.tokenBudget, DEFAULT_BUDGET);
    assert.equal(settings.contextSize, DEFAULT_CONTEXT_SIZE);
    assert.equal(settings.mode, "stitch");
    assert.equal(settings.slmModelPath, "");
    assert.equal(settings.threads, 0);
    assert.equal(settings.temperature, 0);
});

test("valid values pass through unchanged, without warnings", () => {
    const values = { entropyThreshold: 0.3, tokenBudget: 1000, mode: "speculative", slmModelPath: "/m/a.gguf", temperature: 1.5, threads: 4 };
    const { settings, warnings } = from(values);
    assert.deepEqual(warnings, []);
    assert.equal(settings.entropyThreshold, 0.3);
    assert.equal(settings.tokenBudget, 1000);
    assert.equal(settings.mode, "speculative");
    assert.equal(settings.slmModelPath, "/m/a.gguf");
    assert.equal(settings.temperature, 1.5);
    assert.equal(settings.threads, 4);
});

test("out-of-range numbers are clamped, with a warning naming the setting, the value and the replacement", () => {
    const { settings, warnings } = from({ tokenBudget: 100000, entropyThreshold: -0.5, temperature: 9 });
    assert.equal(settings.tokenBudget, 8192);
    assert.equal(settings.entropyThreshold, 0);
    assert.equal(settings.temperature, 2);
    assert.equal(warnings.length, 3);
    assert.ok(warnings.includes("rstitch.tokenBudget: 100000 is above the maximum 8192; using 8192."), warnings.join("\n"));
    assert.ok(warnings.includes("rstitch.entropyThreshold: -0.5 is below the minimum 0; using 0."), warnings.join("\n"));
});

test("wrong types fall back to the default; integers are rounded; numeric strings are accepted", () => {
    const { settings, warnings } = from({ tokenBudget: "lots", contextSize: 1000.6, threads: "2", mode: "fast", llmModelPath: 42 });
    assert.equal(settings.tokenBudget, DEFAULT_BUDGET);
    assert.equal(settings.contextSize, 1001);
    assert.equal(settings.threads, 2);
    assert.equal(settings.mode, "stitch");
    assert.equal(settings.llmModelPath, "");
    assert.equal(warnings.length, 4, warnings.join("\n"));
    assert.ok(warnings.some((w) => w.startsWith("rstitch.tokenBudget:") && w.includes('"lots"')));
    assert.ok(warnings.some((w) => w.startsWith("rstitch.contextSize:") && w.includes("1001")));
    assert.ok(warnings.some((w) => w.startsWith("rstitch.mode:") && w.includes('"fast"')));
    assert.ok(warnings.some((w) => w.startsWith("rstitch.LLMModelPath:")), "a warning names the setting by the key users see");
});

test("NaN and Infinity are not numbers here", () => {
    const { settings, warnings } = from({ entropyThreshold: Number.NaN, tokenBudget: Number.POSITIVE_INFINITY });
    assert.equal(settings.entropyThreshold, DEFAULT_THRESHOLD);
    assert.equal(settings.tokenBudget, DEFAULT_BUDGET);
    assert.equal(warnings.length, 2);
});

test("model paths expand ~, ${userHome}, ${workspaceFolder} and relative paths", () => {
    const ctx = { home: "/home/u", workspaceFolder: "/ws" };
    const x = (p: string, c: { home: string; workspaceFolder?: string } = ctx) => expandModelPath(p, c, join, isAbsolute);
    assert.equal(x(""), "");
    assert.equal(x("~/models/a.gguf"), "/home/u/models/a.gguf");
    assert.equal(x("${userHome}/a.gguf"), "/home/u/a.gguf");
    assert.equal(x("${workspaceFolder}/m/a.gguf"), "/ws/m/a.gguf");
    assert.equal(x("m/a.gguf"), "/ws/m/a.gguf");
    assert.equal(x("/abs/a.gguf"), "/abs/a.gguf");
    assert.equal(x("m/a.gguf", { home: "/home/u" }), "m/a.gguf", "no workspace: left for the loader to report");
});

test("package.json's configuration mirrors the settings table (defaults, bounds, enums)", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    const props = pkg.contributes.configuration.properties as Record<string, Record<string, unknown>>;
    const current = Object.values(SETTING_KEYS).map((k) => `rstitch.${k}`);
    const former = Object.values(FORMER_KEYS).map((k) => `rstitch.${k}`);
    assert.deepEqual(Object.keys(props).sort(), [...current, ...former].sort());
    for (const [key, spec] of Object.entries(SETTING_SPECS) as [SettingKey, (typeof SETTING_SPECS)[SettingKey]][]) {
        const p = props[`rstitch.${SETTING_KEYS[key]}`];
        assert.equal(p.default, spec.default, `${key} default`);
        assert.ok(typeof p.markdownDescription === "string" || typeof p.description === "string", `${key} is described`);
        assert.equal(typeof p.order, "number", `${key} has an order`);
        assert.equal(p.markdownDeprecationMessage, undefined, `${key} is current`);
        if (spec.kind === "number" || spec.kind === "integer") {
            assert.equal(p.type, spec.kind, `${key} type`);
            assert.equal(p.minimum, spec.minimum, `${key} minimum`);
            assert.equal(p.maximum, spec.maximum, `${key} maximum`);
        } else if (spec.kind === "enum") {
            assert.deepEqual(p.enum, spec.values, `${key} enum`);
            assert.equal((p.enumDescriptions as string[]).length, spec.values.length, `${key} enumDescriptions`);
        } else {
            assert.equal(p.type, "string", `${key} type`);
        }
    }
    // Every link between settings points at a current key (VS Code shows a dead link otherwise).
    const links = JSON.stringify(props).match(/#rstitch\.[A-Za-z]+#/g) ?? [];
    for (const link of links) assert.ok(current.includes(link.slice(1, -1)), `${link} links to a current setting`);
});

test("each former key is contributed as deprecated, pointing at its new key, with the same type and default", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    const props = pkg.contributes.configuration.properties as Record<string, Record<string, unknown>>;
    for (const [key, former] of Object.entries(FORMER_KEYS) as [SettingKey, string][]) {
        const old = props[`rstitch.${former}`];
        const now = props[`rstitch.${SETTING_KEYS[key]}`];
        assert.ok(old, `rstitch.${former} is still contributed`);
        assert.match(String(old.markdownDeprecationMessage), new RegExp(`^Renamed to \`#rstitch\\.${SETTING_KEYS[key]}#\``), former);
        assert.equal(old.type, now.type, `${former} type`);
        assert.equal(old.default, now.default, `${former} default`);
        assert.equal(old.order, undefined, `${former} has no place in the Settings editor's order`);
    }
});

test("only the keys whose titles read badly were renamed, and only to capitalise their acronyms", () => {
    for (const [key, id] of Object.entries(SETTING_KEYS) as [SettingKey, string][]) {
        const former = FORMER_KEYS[key];
        // A key added after the renames is title-cased from the start; it too differs in case only.
        if (former === undefined) assert.equal(id.toLowerCase(), key.toLowerCase(), `${key} → ${id} changes case only`);
        else {
            assert.equal(former, key, `${key}'s former key is its field name`);
            assert.equal(id.toLowerCase(), former.toLowerCase(), `${former} → ${id} changes case only`);
            assert.match(id, /^[A-Z]{3}/, `${id} starts with its acronym in capitals`);
        }
    }
});

const trusted = { restricted: false, trusted: true };
const valueOfRenamed = (current: ScopedValues | undefined, former: ScopedValues | undefined) => resolveSetting(current, former, trusted);

test("a renamed setting: the most specific scope wins, and the new key wins at its scope", () => {
    assert.equal(valueOfRenamed(undefined, undefined), undefined);
    assert.equal(valueOfRenamed({}, {}), undefined, "neither set: the default");
    assert.equal(valueOfRenamed({}, { globalValue: "/old.gguf" }), "/old.gguf", "not moved yet: the former value still counts");
    assert.equal(valueOfRenamed({ globalValue: "/new.gguf" }, { globalValue: "/old.gguf" }), "/new.gguf");
    assert.equal(valueOfRenamed({ globalValue: "/new.gguf" }, { workspaceValue: "/old-ws.gguf" }), "/old-ws.gguf", "a workspace value beats a user one, whatever its key");
    assert.equal(valueOfRenamed({ workspaceValue: "/ws.gguf" }, { globalValue: "/old.gguf" }), "/ws.gguf");
    assert.equal(valueOfRenamed({ workspaceValue: "/ws.gguf" }, { workspaceFolderValue: "/folder.gguf" }), "/folder.gguf");
    assert.equal(valueOfRenamed({ globalValue: "" }, { globalValue: "/old.gguf" }), "", "an empty new value (the demo pair) is a value");
    assert.equal(valueOfRenamed({ globalValue: 0 }, { globalValue: 99 }), 0);
});

test("Restricted Mode: a restricted setting of an untrusted workspace reads the user scope alone", () => {
    const untrusted = { restricted: true, trusted: false };
    assert.equal(resolveSetting({ workspaceValue: "/planted.gguf" }, undefined, untrusted), undefined, "the workspace's value: ignored, the default applies");
    assert.equal(resolveSetting({ globalValue: "/mine.gguf", workspaceValue: "/planted.gguf" }, undefined, untrusted), "/mine.gguf", "the user's own value still counts");
    assert.equal(resolveSetting(undefined, { workspaceFolderValue: "http://evil:1" }, untrusted), undefined, "a former key in a folder is ignored too");
    assert.equal(resolveSetting({ globalValue: "/mine.gguf" }, { globalValue: "/old.gguf" }, untrusted), "/mine.gguf");
    assert.equal(resolveSetting({ workspaceValue: "/ws.gguf" }, undefined, { restricted: true, trusted: true }), "/ws.gguf", "trusted: the workspace's value counts");
    assert.equal(resolveSetting({ workspaceValue: 4096 }, undefined, { restricted: false, trusted: false }), 4096, "an unrestricted setting is the workspace's to set");
});

test("every setting that names a file or a server is restricted, current and former keys, and package.json lists exactly those", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    const listed: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, "limited");
    assert.deepEqual([...listed].sort(), restrictedSettingIds().sort());
    // The table's kinds decide it; check the kinds against what the settings mean, so a new path or URL setting cannot slip in as a plain string.
    const props = pkg.contributes.configuration.properties as Record<string, { type: string; enum?: unknown[]; markdownDescription?: string; markdownDeprecationMessage?: string }>;
    for (const [id, p] of Object.entries(props)) {
        // A choice among fixed values (an enum) cannot name a file or a server, whatever its text says.
        if (p.enum) continue;
        const text = `${p.markdownDescription ?? ""} ${p.markdownDeprecationMessage ?? ""}`;
        const namesFileOrServer = p.type === "string" && /\b(path|file|folder|directory|url|server|address)\b/i.test(`${id.slice("rstitch.".length).replace(/([a-z])([A-Z])/g, "$1 $2")} ${text}`);
        if (namesFileOrServer) assert.ok(listed.includes(id), `${id} names a file or a server but is not in restrictedConfigurations`);
    }
    assert.deepEqual([...RESTRICTED_SETTINGS].sort(), ["llmModelPath", "llmServerUrl", "slmModelPath"]);
});

test("a model path that points into the workspace: relative or ${workspaceFolder}, never ~ or absolute", () => {
    const abs = (p: string) => p.startsWith("/");
    assert.equal(pointsIntoWorkspace("models/slm.gguf", abs), true);
    assert.equal(pointsIntoWorkspace("./slm.gguf", abs), true);
    assert.equal(pointsIntoWorkspace("${workspaceFolder}/slm.gguf", abs), true);
    assert.equal(pointsIntoWorkspace("/home/me/slm.gguf", abs), false);
    assert.equal(pointsIntoWorkspace("~/models/slm.gguf", abs), false);
    assert.equal(pointsIntoWorkspace("${userHome}/slm.gguf", abs), false);
    assert.equal(pointsIntoWorkspace("", abs), false, "empty: the demo model");
});
