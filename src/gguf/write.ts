/**
 * The GGUF v3 container: header, metadata entries, tensor table and aligned tensor data, from values
 * and tensors already encoded as bytes. tools/gguf/writer.ts encodes typed metadata and float tensors
 * into it; src/gguf/zero-layers.ts copies a file's own bytes into it.
 */
import { closeSync, openSync, writeSync } from "node:fs";

const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
const GGUF_VERSION = 3;
export const GGUF_ALIGNMENT = 32;

/** Growable little-endian byte sink. */
export class ByteSink {
    private buf = Buffer.alloc(1 << 16);
    length = 0;

    private reserve(n: number): void {
        if (this.length + n <= this.buf.length) return;
        let size = this.buf.length * 2;
        while (size < this.length + n) size *= 2;
        const next = Buffer.alloc(size);
        this.buf.copy(next, 0, 0, this.length);
        this.buf = next;
    }
    u32(v: number): void { this.reserve(4); this.buf.writeUInt32LE(v >>> 0, this.length); this.length += 4; }
    i32(v: number): void { this.reserve(4); this.buf.writeInt32LE(v, this.length); this.length += 4; }
    f32(v: number): void { this.reserve(4); this.buf.writeFloatLE(v, this.length); this.length += 4; }
    u64(v: number): void { this.reserve(8); this.buf.writeBigUInt64LE(BigInt(v), this.length); this.length += 8; }
    u8(v: number): void { this.reserve(1); this.buf[this.length++] = v; }
    raw(b: Uint8Array): void { this.reserve(b.length); this.buf.set(b, this.length); this.length += b.length; }
    str(s: string): void {
        const bytes = Buffer.from(s, "utf8");
        this.u64(bytes.length);
        this.raw(bytes);
    }
    pad(alignment: number): void {
        while (this.length % alignment !== 0) this.u8(0);
    }
    bytes(): Buffer { return this.buf.subarray(0, this.length); }
}

/** A metadata entry: its key and its value as the file stores it (type tag first). */
export interface EncodedEntry { key: string; value: Uint8Array }

/** A tensor: dimensions in GGUF order (innermost first), its ggml type number and its encoded data. */
export interface EncodedTensor { name: string; dims: readonly number[]; type: number; data: Uint8Array }

export function writeGgufFile(path: string, entries: readonly EncodedEntry[], tensors: readonly EncodedTensor[]): void {
    const head = new ByteSink();
    head.u32(GGUF_MAGIC);
    head.u32(GGUF_VERSION);
    head.u64(tensors.length);
    head.u64(entries.length);
    for (const e of entries) {
        head.str(e.key);
        head.raw(e.value);
    }
    let offset = 0;
    for (const t of tensors) {
        head.str(t.name);
        head.u32(t.dims.length);
        for (const d of t.dims) head.u64(d);
        head.u32(t.type);
        head.u64(offset);
        offset = Math.ceil((offset + t.data.length) / GGUF_ALIGNMENT) * GGUF_ALIGNMENT;
    }
    head.pad(GGUF_ALIGNMENT);

    const fd = openSync(path, "w");
    try {
        writeSync(fd, head.bytes());
        const zeros = Buffer.alloc(GGUF_ALIGNMENT);
        for (const t of tensors) {
            writeSync(fd, t.data);
            const padding = (GGUF_ALIGNMENT - (t.data.length % GGUF_ALIGNMENT)) % GGUF_ALIGNMENT;
            if (padding) writeSync(fd, zeros, 0, padding);
        }
    } finally {
        closeSync(fd);
    }
}
