/**
 * Checks a GGUF file before llama.cpp sees it: header, metadata, tensor table, tensor data within
 * the file, the tensors a llama model needs and a consistent vocabulary. Reads only the header (the
 * weights themselves are not read), and never allocates by a count it has not checked against the
 * file size. Throws GgufDamage saying what is wrong; returns what the pair loader needs.
 */
import { closeSync, fstatSync, openSync } from "node:fs";
import { checkLlamaTensors } from "./llama-check.ts";
import { ggmlType } from "./ggml-types.ts";
import { quoteShort } from "./quote.ts";
import { BoundedReader, GgufDamage } from "./reader.ts";
import type { ArrayValue, GgufReport, MetaEntry, Scalar, TensorInfo } from "./report.ts";
import { checkVocabulary } from "./vocabulary-check.ts";

export { GgufDamage } from "./reader.ts";
export type { ArrayValue, GgufReport, MetaEntry, Scalar, TensorInfo } from "./report.ts";

/** GGUF versions llama.cpp reads: 1 is no longer supported, 3 is the newest. */
export const SUPPORTED_VERSIONS = [2, 3] as const;
const MAGIC = "GGUF";
const DEFAULT_ALIGNMENT = 32;
const MAX_DIMS = 4;
const MAX_TENSOR_NAME = 63;
/** Arrays longer than this are kept only for the keys the checks read (the vocabulary). */
const KEEP_ARRAY = 1024;

enum T { U8, I8, U16, I16, U32, I32, F32, BOOL, STRING, ARRAY, U64, I64, F64 }
const SCALAR_BYTES: Partial<Record<T, number>> = {
    [T.U8]: 1, [T.I8]: 1, [T.U16]: 2, [T.I16]: 2, [T.U32]: 4, [T.I32]: 4, [T.F32]: 4, [T.BOOL]: 1,
    [T.U64]: 8, [T.I64]: 8, [T.F64]: 8,
};
const TYPE_NAMES = ["u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "string", "array", "u64", "i64", "f64"];


function readScalar(r: BoundedReader, type: T, what: string): Scalar {
    if (type === T.STRING) return r.string(what);
    const b = r.bytes(SCALAR_BYTES[type]!, what);
    switch (type) {
        case T.U8: return b.readUInt8(0);
        case T.I8: return b.readInt8(0);
        case T.U16: return b.readUInt16LE(0);
        case T.I16: return b.readInt16LE(0);
        case T.U32: return b.readUInt32LE(0);
        case T.I32: return b.readInt32LE(0);
        case T.F32: return b.readFloatLE(0);
        case T.BOOL: return b[0] !== 0;
        case T.U64: return b.readBigUInt64LE(0);
        case T.I64: return b.readBigInt64LE(0);
        default: return b.readDoubleLE(0);
    }
}

function valueType(r: BoundedReader, key: string, inArray: boolean): T {
    const at = r.pos;
    const t = r.u32(`the type of ${quoteShort(key)}`);
    if (t > T.F64 || (inArray && t === T.ARRAY)) {
        throw new GgufDamage(`metadata ${quoteShort(key)} has ${inArray ? "an array of " : ""}unknown value type ${t} at byte ${at}`);
    }
    return t as T;
}

function readValue(r: BoundedReader, key: string): MetaEntry {
    const type = valueType(r, key, false);
    if (type !== T.ARRAY) return readScalar(r, type, `the value of ${quoteShort(key)}`);
    const of = valueType(r, key, true);
    const itemBytes = of === T.STRING ? 8 : SCALAR_BYTES[of]!;
    const length = r.count(`the length of array ${quoteShort(key)}`, itemBytes);
    const keep = length <= KEEP_ARRAY || key.startsWith("tokenizer.ggml.");
    if (!keep && of !== T.STRING) {
        r.skip(length * itemBytes, `array ${quoteShort(key)}`);
        return { array: true, of: TYPE_NAMES[of], length };
    }
    const values: Scalar[] = [];
    for (let i = 0; i < length; i++) {
        const v = readScalar(r, of, `item ${i} of ${quoteShort(key)}`);
        if (keep) values.push(v);
    }
    return { array: true, of: TYPE_NAMES[of], length, values: keep ? values : undefined };
}

function readHeader(r: BoundedReader): number {
    if (r.size === 0) throw new GgufDamage("the file is empty (0 bytes)", "not-gguf");
    if (r.size < 4) throw new GgufDamage(`the file is only ${r.size} bytes long`, "not-gguf");
    const magic = r.bytes(4, "the magic");
    if (magic.toString("latin1") !== MAGIC) {
        throw new GgufDamage(`it does not start with "GGUF" but with ${quoteShort(magic.toString("latin1"))}`, "not-gguf");
    }
    const version = r.u32("the version");
    if (!(SUPPORTED_VERSIONS as readonly number[]).includes(version)) {
        const why = version === 1 ? "version 1 is too old for llama.cpp" : version === 0 ? "version 0 does not exist" : `llama.cpp reads versions ${SUPPORTED_VERSIONS.join(" and ")} only`;
        throw new GgufDamage(`it is GGUF version ${version}; ${why}`, "version");
    }
    return version;
}

function readTensorInfo(r: BoundedReader, i: number): Omit<TensorInfo, "bytes"> {
    const name = r.string(`the name of tensor ${i}`);
    if (name.length === 0 || Buffer.byteLength(name) > MAX_TENSOR_NAME) {
        throw new GgufDamage(`tensor ${i} has a name of ${Buffer.byteLength(name)} bytes (1 to ${MAX_TENSOR_NAME} allowed): ${quoteShort(name)}`);
    }
    const nDims = r.u32(`the dimension count of tensor ${quoteShort(name)}`);
    if (nDims < 1 || nDims > MAX_DIMS) throw new GgufDamage(`tensor ${quoteShort(name)} has ${nDims} dimensions (1 to ${MAX_DIMS} allowed)`);
    const dims: number[] = [];
    let elements = 1n;
    for (let d = 0; d < nDims; d++) {
        const n = r.u64(`dimension ${d} of tensor ${quoteShort(name)}`);
        elements *= n;
        if (n === 0n || elements > BigInt(r.size) * 8n) {
            throw new GgufDamage(`tensor ${quoteShort(name)} has dimension ${d} of ${n}, which the file cannot hold`);
        }
        dims.push(Number(n));
    }
    const type = r.u32(`the type of tensor ${quoteShort(name)}`);
    const offsetBig = r.u64(`the data offset of tensor ${quoteShort(name)}`);
    if (offsetBig > BigInt(r.size)) throw new GgufDamage(`tensor ${quoteShort(name)} starts at data offset ${offsetBig}, past the end of the file (${r.size} bytes): the file is truncated or its tensor table is damaged`);
    return { name, dims, type, offset: Number(offsetBig) };
}

function tensorBytes(t: Omit<TensorInfo, "bytes">): number {
    const type = ggmlType(t.type);
    if (!type) throw new GgufDamage(`tensor ${quoteShort(t.name)} has unknown data type ${t.type}`);
    if (t.dims[0] % type.block !== 0) {
        throw new GgufDamage(`tensor ${quoteShort(t.name)} has rows of ${t.dims[0]} values, not a multiple of ${type.name}'s block of ${type.block}`);
    }
    return (t.dims.reduce((a, b) => a * b, 1) / type.block) * type.bytes;
}

function alignmentOf(metadata: Map<string, MetaEntry>): number {
    const a = metadata.get("general.alignment");
    if (a === undefined) return DEFAULT_ALIGNMENT;
    if (typeof a !== "number" || a <= 0 || (a & (a - 1)) !== 0) {
        throw new GgufDamage(`general.alignment is ${typeof a === "object" ? "an array" : String(a)}, not a power of two`);
    }
    return a;
}

/** Validates the file at `path`; throws GgufDamage (or a file-system error for an unreadable file). */
export function validateGguf(path: string): GgufReport {
    const fd = openSync(path, "r");
    try {
        const r = new BoundedReader(fd, fstatSync(fd).size);
        const version = readHeader(r);
        // A tensor entry is at least 32 bytes, a metadata entry at least 13.
        const tensorCount = r.count("the tensor count", 32);
        const kvCount = r.count("the metadata count", 13);

        const metadata = new Map<string, MetaEntry>();
        const metadataSpans = new Map<string, { start: number; end: number }>();
        for (let i = 0; i < kvCount; i++) {
            const key = r.string(`metadata key ${i}`);
            if (metadata.has(key)) throw new GgufDamage(`metadata key ${quoteShort(key)} appears twice`);
            const start = r.pos;
            metadata.set(key, readValue(r, key));
            metadataSpans.set(key, { start, end: r.pos });
        }
        const alignment = alignmentOf(metadata);

        const infos: Omit<TensorInfo, "bytes">[] = [];
        const names = new Set<string>();
        for (let i = 0; i < tensorCount; i++) {
            const t = readTensorInfo(r, i);
            if (names.has(t.name)) throw new GgufDamage(`tensor ${quoteShort(t.name)} appears twice`);
            names.add(t.name);
            infos.push(t);
        }
        const dataStart = Math.ceil(r.pos / alignment) * alignment;
        const tensors: TensorInfo[] = [];
        let expected = 0;
        for (const t of infos) {
            const bytes = tensorBytes(t);
            if (t.offset % alignment !== 0) throw new GgufDamage(`tensor ${quoteShort(t.name)} starts at data offset ${t.offset}, not a multiple of the alignment ${alignment}`);
            if (t.offset !== expected) throw new GgufDamage(`tensor ${quoteShort(t.name)} starts at data offset ${t.offset}; the tensors before it end at ${expected}`);
            if (dataStart + t.offset + bytes > r.size) {
                throw new GgufDamage(`the data of tensor ${quoteShort(t.name)} (bytes ${dataStart + t.offset} to ${dataStart + t.offset + bytes}) lies past the end of the file (${r.size} bytes); the file is truncated`);
            }
            tensors.push({ ...t, bytes });
            expected = t.offset + Math.ceil(bytes / alignment) * alignment;
        }

        const arch = metadata.get("general.architecture");
        if (typeof arch !== "string" || arch.length === 0) throw new GgufDamage("it has no general.architecture text");
        if (tensors.length === 0) throw new GgufDamage("it holds no tensors (no weights)");
        const report: GgufReport = { version, architecture: arch, metadata, tensors, metadataSpans, dataStart };
        checkVocabulary(report);
        if (arch === "llama") checkLlamaTensors(report);
        return report;
    } finally {
        closeSync(fd);
    }
}
