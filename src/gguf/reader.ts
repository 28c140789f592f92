/**
 * Reads a GGUF file's header through a small window, checking every read against the file size, so
 * a damaged length or count is reported instead of allocating or reading past the end.
 */
import { readSync } from "node:fs";

const WINDOW = 1 << 20;

/** What is wrong with a file, in words for the user (the caller adds the role, file and remedy). */
export class GgufDamage extends Error {
    constructor(message: string, readonly kind: "not-gguf" | "version" | "damaged" | "vocabulary" = "damaged") {
        super(message);
        this.name = "GgufDamage";
    }
}

export class BoundedReader {
    pos = 0;
    private buf = Buffer.alloc(0);
    private bufStart = 0;

    constructor(private readonly fd: number, readonly size: number) {}

    get remaining(): number {
        return this.size - this.pos;
    }

    /** Fails as "ends early" unless n more bytes exist. */
    need(n: number, what: string): void {
        if (n > this.remaining) {
            throw new GgufDamage(`the file ends early: ${what} at byte ${this.pos} needs ${n} bytes, ${this.remaining} are left (a truncated or partial download)`);
        }
    }

    bytes(n: number, what: string): Buffer {
        this.need(n, what);
        const end = this.pos + n;
        if (this.pos < this.bufStart || end > this.bufStart + this.buf.length) {
            const length = Math.min(Math.max(n, WINDOW), this.size - this.pos);
            const next = Buffer.alloc(length);
            let got = 0;
            while (got < length) {
                const r = readSync(this.fd, next, got, length - got, this.pos + got);
                if (r === 0) break;
                got += r;
            }
            if (got < n) throw new GgufDamage(`the file could not be read past byte ${this.pos + got}`);
            this.buf = next;
            this.bufStart = this.pos;
        }
        const out = this.buf.subarray(this.pos - this.bufStart, end - this.bufStart);
        this.pos = end;
        return out;
    }

    skip(n: number, what: string): void {
        this.need(n, what);
        this.pos += n;
    }

    u8(what: string): number { return this.bytes(1, what)[0]; }
    u32(what: string): number { return this.bytes(4, what).readUInt32LE(0); }
    i32(what: string): number { return this.bytes(4, what).readInt32LE(0); }
    u64(what: string): bigint { return this.bytes(8, what).readBigUInt64LE(0); }

    /**
     * A u64 count of items each at least `minItemBytes` long: refused when the rest of the file
     * cannot hold that many, so it is safe to loop over.
     */
    count(what: string, minItemBytes: number): number {
        const at = this.pos;
        const n = this.u64(what);
        if (n * BigInt(minItemBytes) > BigInt(this.remaining)) {
            throw new GgufDamage(`${what} at byte ${at} is ${n}, more than the ${this.remaining} bytes left in the file can hold (a truncated file or a damaged header)`);
        }
        return Number(n);
    }

    string(what: string): string {
        const at = this.pos;
        const n = this.u64(`the length of ${what}`);
        if (n > BigInt(this.remaining)) {
            throw new GgufDamage(`${what} at byte ${at} claims ${n} bytes, past the end of the file (${this.remaining} bytes left)`);
        }
        return this.bytes(Number(n), what).toString("utf8");
    }
}
