/** `rstitch models list [--json] | pull <pair> | check <slm.gguf> <llm.gguf>`: recommended pairs, their download, and the pair check. */
import { homedir } from "node:os";
import { resolve } from "node:path";
import { existsSync } from "node:fs";
import { CATALOGUE, downloadGB, findPair, type CataloguePair } from "../models/catalogue.ts";
import { modelsCacheDir } from "../models/cache-dir.ts";
import { DownloadError, downloadPair } from "../models/download.ts";
import { checkPairFiles, PairLoadError } from "../stitch/index.ts";
import { counted } from "./count.ts";
import { parse } from "./options.ts";
import { ProgressBar } from "./progress-bar.ts";
import type { Io } from "./solve.ts";
import { UsageError } from "./usage.ts";

export const MODELS_HELP = `Usage:
  rstitch models list [--json]                 recommended SLM/LLM pairs (--json: one JSON object)
  rstitch models pull PAIR [--dir DIR]         download a pair (resumes an interrupted download)
  rstitch models check SLM.gguf LLM.gguf       can these two files stitch? exit 0 yes, 2 no (with the reason)

Downloads go to --dir, else $RSTITCH_MODELS_DIR, else the cache folder (Linux: $XDG_CACHE_HOME/rstitch/models
or ~/.cache/rstitch/models; macOS: ~/Library/Caches/rstitch/models; Windows: %LOCALAPPDATA%\\rstitch\\models).
Files come from Hugging Face; $RSTITCH_MODEL_ENDPOINT (or $HF_ENDPOINT) names a mirror, $HF_TOKEN a token.`;

const OPTIONS = {
    json: { type: "boolean" },
    dir: { type: "string" },
    help: { type: "boolean", short: "h" },
} as const;

function cacheDir(explicit?: string): string {
    return resolve(modelsCacheDir({ env: process.env, platform: process.platform, home: homedir() }, explicit));
}

function pairPaths(pair: CataloguePair, dir: string) {
    return { slm: resolve(dir, pair.slm.file), llm: resolve(dir, pair.llm.file) };
}

function listCommand(json: boolean, dir: string, io: Io): number {
    if (json) {
        const pairs = CATALOGUE.pairs.map((p) => {
            const paths = pairPaths(p, dir);
            return { ...p, downloadGB: downloadGB(p), downloaded: existsSync(paths.slm) && existsSync(paths.llm), paths };
        });
        io.stdout.write(JSON.stringify({ dir, note: CATALOGUE.note, pairs }, null, 2) + "\n");
        return 0;
    }
    io.stdout.write(`Recommended pairs (download folder: ${dir})\n\n`);
    for (const p of CATALOGUE.pairs) {
        const paths = pairPaths(p, dir);
        const have = existsSync(paths.slm) && existsSync(paths.llm) ? "  [downloaded]" : "";
        io.stdout.write(
            `${p.id}${have}\n` +
                `  ${p.family}: SLM ${p.slm.name} ${p.slm.quantisation} + LLM ${p.llm.name} ${p.llm.quantisation}\n` +
                `  download ≈ ${downloadGB(p)} GB · memory ≈ ${p.memoryGB} GB · start with τ = ${p.threshold}\n` +
                `  tokenizer: ${p.tokenizer.expected} (from the model cards; \`models check\` verifies the files)\n` +
                `  ${p.description}\n\n`,
        );
    }
    io.stdout.write(`Download one: rstitch models pull ${CATALOGUE.pairs[0].id}\n`);
    return 0;
}

async function checkCommand(slm: string, llm: string, io: Io): Promise<number> {
    try {
        const r = await checkPairFiles(resolve(slm), resolve(llm));
        io.stdout.write(`OK: these two models can stitch. SLM ${r.slm.name}, LLM ${r.llm.name}; one tokenizer of ${counted(r.slm.vocabularySize, "token")}.\n`);
        return 0;
    } catch (e) {
        if (e instanceof PairLoadError) {
            io.stderr.write(`rstitch: cannot stitch: ${e.message}\n`);
            return 2;
        }
        throw e;
    }
}

async function pullCommand(id: string, dir: string, io: Io): Promise<number> {
    const pair = findPair(id);
    if (!pair) throw new UsageError(`Unknown pair "${id}". Pairs: ${CATALOGUE.pairs.map((p) => p.id).join(", ")} (rstitch models list).`);
    io.stderr.write(`Downloading ${pair.id} (≈ ${downloadGB(pair)} GB) to ${dir}\n`);
    const bar = new ProgressBar(io.stderr);
    let paths;
    try {
        paths = await downloadPair({ pair, dir, signal: io.signal, onProgress: (p) => bar.update(p.downloaded, p.total) });
    } catch (e) {
        bar.end();
        if (!(e instanceof DownloadError)) throw e;
        io.stderr.write(`rstitch: ${e.message}\n`);
        return e.code === "cancelled" ? 130 : 1;
    }
    bar.end();
    io.stdout.write(`SLM: ${paths.slmPath}\nLLM: ${paths.llmPath}\n`);
    const code = await checkCommand(paths.slmPath, paths.llmPath, io);
    if (code === 0) {
        io.stdout.write(`\nUse them:\n  rstitch solve --slm "${paths.slmPath}" --llm "${paths.llmPath}" --threshold ${pair.threshold} "What is 47 * 36?"\n`);
    }
    return code;
}

export async function modelsCommand(args: string[], io: Io): Promise<number> {
    const [sub, ...rest] = args;
    const { values, positionals } = parse(rest, OPTIONS, true);
    if (!sub) {
        io.stderr.write(MODELS_HELP + "\n");
        return 2;
    }
    if (values.help || sub === "help") {
        io.stdout.write(MODELS_HELP + "\n");
        return 0;
    }
    const dir = cacheDir(values.dir);
    switch (sub) {
        case "list":
            if (positionals.length) throw new UsageError(`models list takes no arguments.`);
            return listCommand(values.json === true, dir, io);
        case "pull":
            if (positionals.length !== 1) throw new UsageError(`Name one pair to download: rstitch models pull ${CATALOGUE.pairs[0].id} (see rstitch models list).`);
            return pullCommand(positionals[0], dir, io);
        case "check":
            if (positionals.length !== 2) throw new UsageError(`Give two GGUF files: rstitch models check SMALL.gguf LARGE.gguf`);
            return checkCommand(positionals[0], positionals[1], io);
        default:
            throw new UsageError(`Unknown models command "${sub}". Use list, pull or check (rstitch models help).`);
    }
}
