import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { readFileSync, rmSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { CATALOGUE } from "../../src/models/catalogue.ts";
import type { DownloadOutcome } from "../../src/extension/model-download.ts";
import { demoModelPaths } from "../../src/stitch/defaults.ts";
import { startModelServer, type ModelServer } from "../support/model-server.ts";
import { api, extensionPath, finished, resetSettings, setSetting, solve } from "./helpers.ts";

/** The first catalogue pair, served from 127.0.0.1 with the demo pair's bytes at its Hugging Face paths. */
const PAIR = CATALOGUE.pairs[0];
const served = (uri: string) => {
    const [user, repo, ...file] = uri.replace(/^hf:/, "").split("/");
    return `/${user}/${repo}/resolve/main/${file.join("/")}`;
};

describe("Download Recommended Models…", () => {
    let server: ModelServer;
    let slm: Buffer;
    let llm: Buffer;
    let downloaded: string | undefined;

    before(async () => {
        const demo = demoModelPaths(extensionPath());
        slm = readFileSync(demo.slm);
        llm = readFileSync(demo.llm);
        server = await startModelServer({ [served(PAIR.slm.uri)]: slm, [served(PAIR.llm.uri)]: llm });
        // The extension runs in this process: the endpoint override reaches its downloader.
        process.env.RSTITCH_MODEL_ENDPOINT = server.url;
    });

    after(async () => {
        delete process.env.RSTITCH_MODEL_ENDPOINT;
        await server.close();
        if (downloaded) rmSync(downloaded, { recursive: true, force: true });
        for (const key of ["SLMModelPath", "LLMModelPath", "entropyThreshold"]) await setSetting(key, undefined);
        await resetSettings();
    });

    it("is in the palette under R-Stitch", async () => {
        const pkg = vscode.extensions.getExtension("rstitch.rstitch")!.packageJSON as { contributes: { commands: { command: string; title: string; category: string }[] } };
        const cmd = pkg.contributes.commands.find((c) => c.command === "rstitch.downloadModels");
        assert.equal(cmd?.title, "Download Recommended Models…");
        assert.equal(cmd?.category, "R-Stitch");
        assert.ok((await vscode.commands.getCommands(true)).includes("rstitch.downloadModels"));
    });

    it("a server error fails with the status and leaves the settings alone", async () => {
        await setSetting("SLMModelPath", "");
        server.behave(served(PAIR.llm.uri), { status: 500 });
        try {
            const outcome = await vscode.commands.executeCommand<DownloadOutcome>("rstitch.downloadModels", PAIR.id);
            assert.equal(outcome?.status, "failed");
            assert.match(outcome?.status === "failed" ? outcome.reason : "", /answered HTTP 500/);
        } finally {
            server.behave(served(PAIR.llm.uri), undefined);
        }
        assert.equal(vscode.workspace.getConfiguration("rstitch").get("SLMModelPath"), "");
    });

    it("downloads the pair into global storage, checks it, points the settings at it, and the next answer uses it", async () => {
        const outcome = await vscode.commands.executeCommand<DownloadOutcome>("rstitch.downloadModels", PAIR.id);
        assert.equal(outcome?.status, "done", JSON.stringify(outcome));
        if (outcome?.status !== "done") return;
        downloaded = dirname(outcome.slmPath);
        assert.ok(outcome.slmPath.includes(`${sep}globalStorage${sep}`) || outcome.slmPath.toLowerCase().includes("rstitch.rstitch"), outcome.slmPath);
        assert.equal(outcome.slmPath, join(downloaded, PAIR.slm.file));
        assert.equal(outcome.llmPath, join(downloaded, PAIR.llm.file));
        assert.ok(readFileSync(outcome.slmPath).equals(slm), "SLM bytes equal");
        assert.ok(readFileSync(outcome.llmPath).equals(llm), "LLM bytes equal");

        const config = vscode.workspace.getConfiguration("rstitch");
        assert.equal(config.get("SLMModelPath"), outcome.slmPath);
        assert.equal(config.get("LLMModelPath"), outcome.llmPath);
        assert.equal(config.get("entropyThreshold"), PAIR.threshold);

        const a = await api();
        assert.equal(a.settings().settings.slmModelPath, outcome.slmPath);
        const result = finished(await solve("What is 47 * 36?"));
        assert.ok(result.turn.tokens.length > 0);

        const n = server.requests.length;
        const again = await vscode.commands.executeCommand<DownloadOutcome>("rstitch.downloadModels", PAIR.id);
        assert.equal(again?.status, "done");
        assert.equal(server.requests.length, n, "already there: nothing fetched again");
    });
});
