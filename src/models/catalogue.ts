/**
 * The catalogue of recommended SLM/LLM pairs (models/catalogue.json), checked into typed values.
 * The JSON is bundled into the CLI and the extension, so it needs no file of its own at run time.
 * No `vscode` import.
 */
import data from "../../models/catalogue.json" with { type: "json" };

export interface CatalogueModel {
    name: string;
    params: string;
    quantisation: string;
    /** node-llama-cpp model URI of one file: hf:<user>/<repo>/<file>. */
    uri: string;
    /** File name on disk. */
    file: string;
    /** Approximate download size, from the repository's listing. */
    sizeGB: number;
}

export interface CataloguePair {
    id: string;
    family: string;
    description: string;
    slm: CatalogueModel;
    llm: CatalogueModel;
    /** Approximate memory for both models loaded at a 4k context. */
    memoryGB: number;
    /** The τ to start from. */
    threshold: number;
    thresholdSource: string;
    tokenizer: { expected: string; evidence: string };
}

export interface Catalogue {
    note: string;
    pairs: CataloguePair[];
}

/** A catalogue that does not have the shape the code relies on. */
export class CatalogueError extends Error {}

const HF_FILE_URI = /^hf:[^/\s]+\/[^/\s]+\/[^\s#]+\.gguf$/;

function text(v: unknown, where: string): string {
    if (typeof v !== "string" || v.trim() === "") throw new CatalogueError(`${where} must be a non-empty string`);
    return v;
}

function positive(v: unknown, where: string, max = Infinity): number {
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0 || v > max) throw new CatalogueError(`${where} must be a number in (0, ${max}]`);
    return v;
}

function model(v: unknown, where: string): CatalogueModel {
    const m = (v ?? {}) as Record<string, unknown>;
    const uri = text(m.uri, `${where}.uri`);
    if (!HF_FILE_URI.test(uri)) throw new CatalogueError(`${where}.uri must name one GGUF file: hf:<user>/<repo>/<file>.gguf, got "${uri}"`);
    const file = text(m.file, `${where}.file`);
    if (!/^[\w.+-]+\.gguf$/.test(file)) throw new CatalogueError(`${where}.file must be a plain .gguf file name, got "${file}"`);
    return {
        name: text(m.name, `${where}.name`),
        params: text(m.params, `${where}.params`),
        quantisation: text(m.quantisation, `${where}.quantisation`),
        uri,
        file,
        sizeGB: positive(m.sizeGB, `${where}.sizeGB`),
    };
}

/** Checks parsed JSON and returns it typed; throws CatalogueError naming the first bad field. */
export function validateCatalogue(raw: unknown): Catalogue {
    const c = (raw ?? {}) as Record<string, unknown>;
    if (!Array.isArray(c.pairs) || c.pairs.length === 0) throw new CatalogueError("pairs must be a non-empty list");
    const ids = new Set<string>();
    const pairs = c.pairs.map((p: Record<string, unknown>, i): CataloguePair => {
        const where = `pairs[${i}]`;
        const id = text(p?.id, `${where}.id`);
        if (!/^[a-z0-9][a-z0-9.-]*$/.test(id)) throw new CatalogueError(`${where}.id must be lower-case letters, digits, dots and dashes, got "${id}"`);
        if (ids.has(id)) throw new CatalogueError(`${where}.id "${id}" appears twice`);
        ids.add(id);
        const tok = (p.tokenizer ?? {}) as Record<string, unknown>;
        const pair: CataloguePair = {
            id,
            family: text(p.family, `${where}.family`),
            description: text(p.description, `${where}.description`),
            slm: model(p.slm, `${where}.slm`),
            llm: model(p.llm, `${where}.llm`),
            memoryGB: positive(p.memoryGB, `${where}.memoryGB`),
            threshold: positive(p.threshold, `${where}.threshold`, 1),
            thresholdSource: text(p.thresholdSource, `${where}.thresholdSource`),
            tokenizer: { expected: text(tok.expected, `${where}.tokenizer.expected`), evidence: text(tok.evidence, `${where}.tokenizer.evidence`) },
        };
        if (pair.slm.file === pair.llm.file) throw new CatalogueError(`${where}: the SLM and LLM must be different files`);
        return pair;
    });
    return { note: typeof c.note === "string" ? c.note : "", pairs };
}

export const CATALOGUE: Catalogue = validateCatalogue(data);

/** The pair with this id, or undefined. */
export function findPair(id: string, catalogue: Catalogue = CATALOGUE): CataloguePair | undefined {
    return catalogue.pairs.find((p) => p.id === id.toLowerCase());
}

/** "5.7 GB" for the pair's two files together. */
export function downloadGB(pair: CataloguePair): number {
    return Math.round((pair.slm.sizeGB + pair.llm.sizeGB) * 10) / 10;
}
