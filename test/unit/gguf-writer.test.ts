import assert from "node:assert/strict";
import { test } from "node:test";
import { byteToUnicode, byteVocabulary, BYTE_VOCAB_SIZE } from "../../tools/gguf/byte-vocab.ts";
import { toHalf } from "../../tools/gguf/writer.ts";

test("float16 conversion rounds to nearest", () => {
    assert.equal(toHalf(1), 0x3c00);
    assert.equal(toHalf(-2), 0xc000);
    assert.equal(toHalf(0), 0);
    assert.equal(toHalf(65504), 0x7bff);
    assert.equal(toHalf(1e6), 0x7c00);
    assert.equal(toHalf(5.960464477539063e-8), 1); // smallest subnormal
});

test("the byte vocabulary maps every byte to a distinct printable character", () => {
    const chars = byteToUnicode();
    assert.equal(new Set(chars).size, 256);
    assert.equal(chars[0x41], "A");
    assert.equal(byteVocabulary().tokens.length, BYTE_VOCAB_SIZE);
    const big = byteVocabulary({ size: 151_936 });
    assert.equal(big.tokens.length, 151_936);
    assert.equal(new Set(big.tokens).size, 151_936);
});
