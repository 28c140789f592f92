/** The model picker's list (src/extension/pair-choices.ts): what it offers for each configuration, and what a choice writes. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { CATALOGUE } from "../../src/models/catalogue.ts";
import { downloadedPairs, isDemoPair, pairChoices, pairName, type PairSettings } from "../../src/extension/pair-choices.ts";

const DEMO: PairSettings = { slmModelPath: "", llmModelPath: "", llmServerUrl: "" };
const [first, second] = CATALOGUE.pairs;
const STORAGE = "/storage/models";
const CACHE = "/home/u/.cache/rstitch/models";

test("the header's name: demo pair, a catalogue pair by its names, other files by theirs, a server as 'LLM on server'", () => {
    assert.equal(pairName(DEMO, CATALOGUE), "demo pair");
    assert.equal(pairName({ ...DEMO, slmModelPath: join(STORAGE, first.slm.file), llmModelPath: join(STORAGE, first.llm.file) }, CATALOGUE), `${first.slm.name} + ${first.llm.name}`);
    assert.equal(pairName({ ...DEMO, slmModelPath: "/m/small.gguf", llmModelPath: "/m/big.Q4.gguf" }, CATALOGUE), "small + big.Q4");
    assert.equal(pairName({ ...DEMO, slmModelPath: "/m/small.gguf" }, CATALOGUE), "small + demo LLM");
    assert.equal(pairName({ ...DEMO, llmServerUrl: "http://gpu:8080" }, CATALOGUE), "demo SLM + LLM on server");
    assert.ok(isDemoPair(DEMO));
    assert.ok(!isDemoPair({ ...DEMO, llmServerUrl: "http://gpu:8080" }), "a remote LLM is not the demo pair");
});

test("a recommended pair counts as downloaded when both its files are in one of the folders", () => {
    const files = new Set([join(STORAGE, first.slm.file), join(STORAGE, first.llm.file), join(CACHE, second.slm.file), join(STORAGE, second.llm.file)]);
    const found = downloadedPairs(CATALOGUE, [STORAGE, CACHE], (p) => files.has(p));
    assert.deepEqual(found.map((d) => d.pair.id), [first.id], "the second pair's files are split over two folders: not a pair");
    assert.equal(found[0].slmPath, join(STORAGE, first.slm.file));
    files.add(join(CACHE, second.llm.file));
    assert.deepEqual(downloadedPairs(CATALOGUE, [STORAGE, CACHE], (p) => files.has(p)).map((d) => [d.pair.id, d.llmPath]), [[first.id, join(STORAGE, first.llm.file)], [second.id, join(CACHE, second.llm.file)]]);
});

test("with the demo pair in use: it is first, downloaded pairs set their files and τ, files and Download follow, no server", () => {
    const downloaded = [{ pair: first, slmPath: join(STORAGE, first.slm.file), llmPath: join(STORAGE, first.llm.file) }];
    const choices = pairChoices(DEMO, { catalogue: CATALOGUE, downloaded });
    assert.equal(choices[0].label, "$(check) demo pair");
    assert.equal(choices[0].detail, "SLM: embedded demo model · LLM: embedded demo model");
    assert.deepEqual(choices[0].action, { kind: "keep" });
    const pair = choices.find((c) => c.label.includes(first.llm.name));
    assert.deepEqual(pair?.action, { kind: "use", slmPath: downloaded[0].slmPath, llmPath: downloaded[0].llmPath, threshold: first.threshold, leaveServer: false });
    assert.ok(!choices.some((c) => c.label.includes("Demo pair")), "the pair in use is not offered twice");
    assert.deepEqual(choices.map((c) => c.action.kind).slice(-4), ["files", "slmFile", "llmFile", "download"]);
    assert.ok(!choices.some((c) => c.group === "server"));
});

test("with chosen files: the in-use item and the file items show those files; the demo pair is offered", () => {
    const s = { ...DEMO, slmModelPath: "/m/small.gguf", llmModelPath: "/m/big.gguf" };
    const choices = pairChoices(s, { catalogue: CATALOGUE, downloaded: [] });
    assert.equal(choices[0].detail, "SLM: /m/small.gguf · LLM: /m/big.gguf");
    assert.equal(choices.find((c) => c.action.kind === "slmFile")?.detail, "/m/small.gguf");
    assert.equal(choices.find((c) => c.action.kind === "llmFile")?.detail, "/m/big.gguf");
    assert.deepEqual(choices.find((c) => c.label === "$(package) Demo pair")?.action, { kind: "use", slmPath: "", llmPath: "", leaveServer: false });
});

test("the LLM server: shown when set, a local pair then takes the LLM back; a server used before is offered again", () => {
    const s = { ...DEMO, llmServerUrl: "http://gpu:8080" };
    const choices = pairChoices(s, { catalogue: CATALOGUE, downloaded: [] });
    assert.equal(choices[0].detail, "SLM: embedded demo model · LLM: on the server http://gpu:8080");
    const server = choices.find((c) => c.group === "server");
    assert.equal(server?.label, "$(remote) LLM server gpu:8080");
    assert.deepEqual(server?.action, { kind: "serverSetting" });
    const demo = choices.find((c) => c.label === "$(package) Demo pair");
    assert.equal(demo?.action.kind === "use" && demo.action.leaveServer, true);
    assert.match(demo?.detail ?? "", /The LLM runs here instead of on gpu:8080\./);

    const again = pairChoices(DEMO, { catalogue: CATALOGUE, downloaded: [], lastServerUrl: "http://gpu:8080" }).find((c) => c.group === "server");
    assert.deepEqual(again?.action, { kind: "server", url: "http://gpu:8080" });
});
