/**
 * A corpus of malformed GGUF model files, built with the project's own writer from one small valid
 * fixture: truncations, bad headers, huge counts and lengths, broken tensor tables, missing or
 * misshapen tensors, damaged vocabularies, and files damaged only in their weights (which must still
 * load and answer). Each case says which role it plays and what the user must be told.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { testCacheDir } from "./test-cache.ts";
import { join } from "node:path";
import { byteVocabulary } from "../../tools/gguf/byte-vocab.ts";
import { llamaGgufParts } from "../../tools/gguf/llama.ts";
import { meta, writeGguf, type MetaValue, type TensorSpec } from "../../tools/gguf/writer.ts";
import { fixtureModel, SMALL_SHAPE, type FixtureSpec } from "./fixtures.ts";
import { mulberry32 } from "./random.ts";

export interface MalformedCase {
    name: string;
    /** Which model setting the file is given as; the other one is a valid fixture. */
    role: "slm" | "llm";
    path: string;
    /** 0: the file loads and answers (damage only in the weights); 2: refused with a message. */
    exit: 0 | 2;
    /** What the message must say (besides naming the role and the file). */
    says?: RegExp;
}

const SPEC: FixtureSpec = { name: "malformed-base", shape: SMALL_SHAPE, seed: 11, sharpen: 6 };

type Parts = { metadata: Record<string, MetaValue>; tensors: TensorSpec[] };

function parts(): Parts {
    return llamaGgufParts(fixtureModel(SPEC));
}

/** Where the bytes right after a length-prefixed name (a metadata key or tensor name) start. */
function after(buf: Buffer, name: string): number {
    const prefix = Buffer.alloc(8);
    prefix.writeBigUInt64LE(BigInt(Buffer.byteLength(name)));
    const at = buf.indexOf(Buffer.concat([prefix, Buffer.from(name)]));
    if (at < 0) throw new Error(`${name} not in the base file`);
    return at + 8 + Buffer.byteLength(name);
}

/** Tensor table entry of `name`: where its dimensions, type and offset fields are. */
function tensorFields(buf: Buffer, name: string) {
    const p = after(buf, name);
    const nDims = buf.readUInt32LE(p);
    return { dims: p + 4, type: p + 4 + 8 * nDims, offset: p + 8 + 8 * nDims, end: p + 16 + 8 * nDims };
}

const DAMAGED = /is damaged/;
const ENDS = /is damaged: (the file ends early|.*past the end of the file|.*left in the file can hold \(a truncated file)/;

export function writeMalformedCorpus(dir = testCacheDir("malformed-v1")): MalformedCase[] {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const cases: MalformedCase[] = [];
    const basePath = join(dir, "base.gguf");
    const base0 = parts();
    writeGguf(basePath, base0.metadata, base0.tensors);
    const base = readFileSync(basePath);
    const dataStart = Math.ceil(tensorFields(base, "blk.0.ffn_down.weight").end / 32) * 32;
    const dataOf = (name: string) => dataStart + Number(base.readBigUInt64LE(tensorFields(base, name).offset));

    const add = (name: string, exit: 0 | 2, says: RegExp | undefined, write: (path: string) => void, role: "slm" | "llm" = "slm") => {
        const path = join(dir, `${name}.gguf`);
        write(path);
        cases.push({ name, role, path, exit, says });
    };
    const bytes = (name: string, says: RegExp, edit: (b: Buffer) => Buffer | void, role: "slm" | "llm" = "slm", exit: 0 | 2 = 2) =>
        add(name, exit, says, (path) => {
            const b = Buffer.from(base);
            writeFileSync(path, edit(b) ?? b);
        }, role);
    const model = (name: string, says: RegExp, edit: (p: Parts) => void, role: "slm" | "llm" = "slm") =>
        add(name, 2, says, (path) => {
            const p = parts();
            edit(p);
            writeGguf(path, p.metadata, p.tensors);
        }, role);

    // Not a GGUF file at all.
    add("empty", 2, /not a usable GGUF file: the file is empty/, (p) => writeFileSync(p, ""));
    add("three-bytes", 2, /not a usable GGUF file: the file is only 3 bytes/, (p) => writeFileSync(p, "GGU"));
    add("json-text", 2, /not a usable GGUF file: it does not start with "GGUF" but with "\{\\u000a  "/, (p) => writeFileSync(p, '{\n  "name": "x"\n}\n'));
    bytes("bad-magic", /does not start with "GGUF" but with "GGUX"/, (b) => { b.write("GGUX", 0, "latin1"); });
    add("directory", 2, /is a folder, not a model file/, (p) => mkdirSync(p));

    // Versions.
    for (const [v, says] of [[0, /version 0 does not exist/], [1, /version 1 is too old/], [4, /GGUF version 4; llama.cpp reads versions 2 and 3 only/], [0xffffffff, /GGUF version 4294967295/]] as const) {
        bytes(`version-${v}`, says, (b) => { b.writeUInt32LE(v, 4); });
    }

    // Counts and lengths that the file cannot hold.
    bytes("tensor-count-2^48-1", /the tensor count at byte 8 is 281474976710655, more than/, (b) => { b.writeBigUInt64LE(2n ** 48n - 1n, 8); });
    bytes("metadata-count-2^63", /the metadata count at byte 16 is 9223372036854775808, more than/, (b) => { b.writeBigUInt64LE(2n ** 63n, 16); });
    bytes("metadata-count-0", /is damaged: tensor "general.architecture" has 8 dimensions/, (b) => { b.writeBigUInt64LE(0n, 16); });
    bytes("key-length-beyond-eof", /metadata key 0 at byte 24 claims 1099511627776 bytes, past the end of the file/, (b) => { b.writeBigUInt64LE(2n ** 40n, 24); });
    bytes("string-value-beyond-eof", /the value of "general.name" at byte \d+ claims 18446744073709551615 bytes, past the end/, (b) => {
        b.writeBigUInt64LE(2n ** 64n - 1n, after(b, "general.name") + 4);
    });
    bytes("array-length-huge", /the length of array "tokenizer.ggml.tokens" at byte \d+ is 1099511627776, more than/, (b) => {
        b.writeBigUInt64LE(2n ** 40n, after(b, "tokenizer.ggml.tokens") + 8);
    });
    bytes("array-of-unknown-type", /"tokenizer.ggml.tokens" has an array of unknown value type 99/, (b) => { b.writeUInt32LE(99, after(b, "tokenizer.ggml.tokens") + 4); });
    bytes("array-of-arrays", /"tokenizer.ggml.tokens" has an array of unknown value type 9/, (b) => { b.writeUInt32LE(9, after(b, "tokenizer.ggml.tokens") + 4); });
    bytes("value-of-unknown-type", /"general.architecture" has unknown value type 13/, (b) => { b.writeUInt32LE(13, after(b, "general.architecture")); });

    // Truncations at several points.
    const cuts: [string, number][] = [
        ["in-magic", 2], ["in-counts", 12], ["in-first-key", 30], ["in-metadata", Math.floor(after(base, "tokenizer.ggml.tokens") + 500)],
        ["in-tensor-table", after(base, "blk.0.attn_q.weight") - 4], ["before-data", dataStart], ["mid-data", dataStart + Math.floor((base.length - dataStart) / 2)],
        ["last-byte", base.length - 1],
    ];
    for (const [where, at] of cuts) {
        const says = where === "in-magic" ? /the file is only 2 bytes/ : ENDS;
        bytes(`truncated-${where}`, says, (b) => b.subarray(0, at), where === "mid-data" ? "llm" : "slm");
    }

    // The tensor table.
    const ffnDown = tensorFields(base, "blk.0.ffn_down.weight");
    const attnQ = tensorFields(base, "blk.0.attn_q.weight");
    bytes("tensor-offset-beyond-eof", /starts at data offset 1099511627776, past the end of the file/, (b) => { b.writeBigUInt64LE(2n ** 40n, ffnDown.offset); });
    bytes("tensor-data-beyond-eof", /the data of tensor "blk.0.ffn_down.weight" .* lies past the end of the file/, (b) => {
        b.writeBigUInt64LE(2n * b.readBigUInt64LE(ffnDown.dims), ffnDown.dims);
    }, "llm");
    bytes("tensor-offset-misaligned", /"blk.0.attn_q.weight" starts at data offset \d+, not a multiple of the alignment 32/, (b) => {
        b.writeBigUInt64LE(b.readBigUInt64LE(attnQ.offset) + 4n, attnQ.offset);
    });
    bytes("tensor-overlap", /"blk.0.attn_q.weight" starts at data offset 0; the tensors before it end at/, (b) => { b.writeBigUInt64LE(0n, attnQ.offset); });
    bytes("tensor-type-unknown", /"blk.0.attn_q.weight" has unknown data type 99/, (b) => { b.writeUInt32LE(99, attnQ.type); });
    bytes("tensor-type-removed", /"blk.0.attn_q.weight" has unknown data type 4/, (b) => { b.writeUInt32LE(4, attnQ.type); });
    bytes("tensor-type-q4-rows", /rows of 32 values, not a multiple of Q4_K's block of 256/, (b) => { b.writeUInt32LE(12, attnQ.type); });
    bytes("tensor-dims-9", /"blk.0.attn_q.weight" has 9 dimensions/, (b) => { b.writeUInt32LE(9, attnQ.dims - 4); });
    bytes("tensor-dim-zero", /"blk.0.attn_q.weight" has dimension 0 of 0/, (b) => { b.writeBigUInt64LE(0n, attnQ.dims); });
    bytes("tensor-dim-huge", /"blk.0.attn_q.weight" has dimension 1 of 4611686018427387904/, (b) => { b.writeBigUInt64LE(2n ** 62n, attnQ.dims + 8); });
    bytes("alignment-3", /general.alignment is 3, not a power of two/, (b) => { b.writeUInt32LE(3, after(b, "general.alignment") + 4); });

    // Tensors a llama model needs, and their shapes.
    model("tensor-missing", /the tensor "blk.0.ffn_down.weight", which a llama model with 1 layers needs, is missing/, (p) => {
        p.tensors = p.tensors.filter((t) => t.name !== "blk.0.ffn_down.weight");
    });
    model("tensor-duplicate", /tensor "blk.0.attn_k.weight" appears twice/, (p) => { p.tensors.push(p.tensors.find((t) => t.name === "blk.0.attn_k.weight")!); });
    model("tensor-wrong-shape", /tensor "blk.0.attn_q.weight" has shape \[64, 16\], expected \[32, 32\]/, (p) => {
        const t = p.tensors.find((x) => x.name === "blk.0.attn_q.weight")!;
        t.shape = [16, 64];
    }, "llm");
    model("block-count-missing", /llama.block_count is missing/, (p) => { delete p.metadata["llama.block_count"]; });
    // Files that pass the checks here but that llama.cpp refuses: its own reason is quoted.
    const renameArch = (p: Parts, arch: string) => {
        for (const [k, v] of Object.entries(p.metadata)) {
            if (!k.startsWith("llama.")) continue;
            delete p.metadata[k];
            p.metadata[arch + k.slice(5)] = v;
        }
        p.metadata["general.architecture"] = meta.str(arch);
    };
    model("architecture-unknown", /llama.cpp could not load the small \(SLM\) model .*unknown model architecture: 'frobnicate'/, (p) => renameArch(p, "frobnicate"));
    // llama.cpp words a missing tensor "tensor 'X' not found" or "missing tensor 'X'" depending on which check meets it first.
    model("qwen2-tensor-missing", /llama.cpp could not load the large \(LLM\) model .*(tensor 'blk.0.attn_k.weight' not found|missing tensor 'blk.0.attn_k.weight')/, (p) => {
        renameArch(p, "qwen2");
        p.tensors = p.tensors.filter((t) => t.name !== "blk.0.attn_k.weight");
    }, "llm");
    model("architecture-missing", /no general.architecture/, (p) => { delete p.metadata["general.architecture"]; });

    // Damaged vocabularies: reported as a damaged file, never as a tokenizer the other model lacks.
    const vocab = byteVocabulary();
    const n = vocab.tokens.length;
    const V = /is damaged: its vocabulary is damaged: /;
    const vocabCase = (name: string, says: RegExp, edit: (m: Record<string, MetaValue>) => void) =>
        model(`vocab-${name}`, new RegExp(V.source + says.source), (p) => edit(p.metadata));
    vocabCase("token-type-short", /tokenizer.ggml.token_type has 259 entries for 260 tokens/, (m) => { m["tokenizer.ggml.token_type"] = meta.array("i32", vocab.types.slice(1)); });
    vocabCase("token-type-f32", /tokenizer.ggml.token_type is an array of f32, not of i32/, (m) => { m["tokenizer.ggml.token_type"] = meta.array("f32", vocab.types); });
    vocabCase("token-type-value", /token 7 has type 99/, (m) => { m["tokenizer.ggml.token_type"] = meta.array("i32", vocab.types.map((t, i) => (i === 7 ? 99 : t))); });
    vocabCase("scores-long", /tokenizer.ggml.scores has 261 entries for 260 tokens/, (m) => { m["tokenizer.ggml.scores"] = meta.array("f32", new Array(n + 1).fill(0)); });
    vocabCase("tokens-u32", /tokenizer.ggml.tokens is an array of u32, not of string/, (m) => { m["tokenizer.ggml.tokens"] = meta.array("u32", vocab.types); });
    vocabCase("tokens-not-array", /tokenizer.ggml.tokens is a single string value/, (m) => { m["tokenizer.ggml.tokens"] = meta.str("abc"); });
    vocabCase("tokens-missing", /tokenizer.ggml.tokens is missing or empty/, (m) => { delete m["tokenizer.ggml.tokens"]; });
    vocabCase("token-repeated", /token 257 "A" repeats token 65/, (m) => {
        m["tokenizer.ggml.tokens"] = meta.array("string", vocab.tokens.map((t, i) => (i === 257 ? "A" : t)));
    });
    vocabCase("merge-without-space", /merge 0 "\\u202eabc" is not two tokens separated by a space/, (m) => { m["tokenizer.ggml.merges"] = meta.array("string", ["\u202eabc"]); });
    vocabCase("eos-out-of-range", /tokenizer.ggml.eos_token_id is 5000, outside the 260 tokens/, (m) => { m["tokenizer.ggml.eos_token_id"] = meta.u32(5000); });
    vocabCase("huge-token", /token 258 "A{32}…" \(2000001 characters\) repeats token 257/, (m) => {
        // A two-million-character token, twice: the message quotes a few characters of it.
        const huge = "A".repeat(2_000_000) + "\u202e";
        m["tokenizer.ggml.tokens"] = meta.array("string", vocab.tokens.map((t, i) => (i === 257 || i === 258 ? huge : t)));
    });

    // Damage only in the weights: llama.cpp cannot tell, the file loads and answers.
    bytes("weights-random-bytes", /./, (b) => {
        const rand = mulberry32(5);
        const start = dataOf("blk.0.ffn_up.weight");
        for (let i = start; i < start + 4096; i++) b[i] = Math.floor(rand() * 256);
    }, "slm", 0);
    bytes("weights-zeroed", /./, (b) => { b.fill(0, dataOf("blk.0.attn_q.weight"), dataOf("blk.0.ffn_norm.weight")); }, "llm", 0);
    bytes("weights-nan-output", /./, (b) => {
        const start = dataOf("output.weight");
        b.fill(0xff, start, start + 64 * 32 * 4);
    }, "slm", 0);
    return cases;
}
