/**
 * A minimal GGUF v3 writer: typed metadata and F32/F16 tensors, encoded into the container of
 * src/gguf/write.ts. Used by the tests to build fixture models and by tools/ to export the trained
 * demo pair; the decoder itself only reads GGUF through node-llama-cpp.
 */
import { ByteSink, writeGgufFile } from "../../src/gguf/write.ts";

export { GGUF_ALIGNMENT } from "../../src/gguf/write.ts";

enum ValueType { U8 = 0, I8, U16, I16, U32, I32, F32, BOOL, STRING, ARRAY, U64, I64, F64 }
export enum TensorType { F32 = 0, F16 = 1 }

export type ScalarKind = "u32" | "i32" | "f32" | "u64" | "bool" | "string";
export type MetaValue =
    | { kind: ScalarKind; value: number | boolean | string }
    | { kind: "array"; of: ScalarKind; values: readonly (number | boolean | string)[] };

export const meta = {
    u32: (value: number): MetaValue => ({ kind: "u32", value }),
    i32: (value: number): MetaValue => ({ kind: "i32", value }),
    f32: (value: number): MetaValue => ({ kind: "f32", value }),
    u64: (value: number): MetaValue => ({ kind: "u64", value }),
    bool: (value: boolean): MetaValue => ({ kind: "bool", value }),
    str: (value: string): MetaValue => ({ kind: "string", value }),
    array: (of: ScalarKind, values: readonly (number | boolean | string)[]): MetaValue => ({ kind: "array", of, values }),
};

export interface TensorSpec {
    name: string;
    /** Shape in row-major (PyTorch) order, outermost first; GGUF stores it reversed. */
    shape: readonly number[];
    data: Float32Array;
    type: TensorType;
}

const KIND_TYPE: Record<ScalarKind, ValueType> = {
    u32: ValueType.U32, i32: ValueType.I32, f32: ValueType.F32, u64: ValueType.U64,
    bool: ValueType.BOOL, string: ValueType.STRING,
};

function writeScalar(sink: ByteSink, kind: ScalarKind, v: number | boolean | string): void {
    switch (kind) {
        case "u32": sink.u32(v as number); break;
        case "i32": sink.i32(v as number); break;
        case "f32": sink.f32(v as number); break;
        case "u64": sink.u64(v as number); break;
        case "bool": sink.u8(v ? 1 : 0); break;
        case "string": sink.str(v as string); break;
    }
}

// One scratch word for the float32 → bits reinterpretation (allocating per value made writing a
// 151k-vocabulary model take tens of seconds).
const scratchFloat = new Float32Array(1);
const scratchBits = new Uint32Array(scratchFloat.buffer);

/** IEEE 754 binary16 from a float32, round to nearest even. */
export function toHalf(value: number): number {
    scratchFloat[0] = value;
    const x = scratchBits[0];
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    let mant = x & 0x7fffff;
    if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
    let e = exp - 127 + 15;
    if (e >= 0x1f) return sign | 0x7c00;
    if (e <= 0) {
        if (e < -10) return sign;
        mant |= 0x800000;
        const shift = 14 - e;
        let half = mant >>> shift;
        const rest = mant & ((1 << shift) - 1);
        const mid = 1 << (shift - 1);
        if (rest > mid || (rest === mid && (half & 1))) half++;
        return sign | half;
    }
    let half = (e << 10) | (mant >>> 13);
    const rest = mant & 0x1fff;
    if (rest > 0x1000 || (rest === 0x1000 && (half & 1))) half++;
    return sign | half;
}

function tensorBytes(t: TensorSpec): Buffer {
    if (t.type === TensorType.F32) return Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    const out = Buffer.alloc(t.data.length * 2);
    for (let i = 0; i < t.data.length; i++) out.writeUInt16LE(toHalf(t.data[i]), i * 2);
    return out;
}

function encodeValue(v: MetaValue): Buffer {
    const sink = new ByteSink();
    if (v.kind === "array") {
        sink.u32(ValueType.ARRAY);
        sink.u32(KIND_TYPE[v.of]);
        sink.u64(v.values.length);
        for (const item of v.values) writeScalar(sink, v.of, item);
    } else {
        sink.u32(KIND_TYPE[v.kind]);
        writeScalar(sink, v.kind, v.value);
    }
    return sink.bytes();
}

export function writeGguf(path: string, metadata: Record<string, MetaValue>, tensors: readonly TensorSpec[]): void {
    for (const t of tensors) {
        const n = t.shape.reduce((a, b) => a * b, 1);
        if (n !== t.data.length) throw new Error(`tensor ${t.name}: shape [${t.shape}] holds ${n} values, data has ${t.data.length}`);
    }
    writeGgufFile(
        path,
        Object.entries(metadata).map(([key, v]) => ({ key, value: encodeValue(v) })),
        tensors.map((t) => ({ name: t.name, dims: [...t.shape].reverse(), type: t.type, data: tensorBytes(t) })),
    );
}
