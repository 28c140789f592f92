/**
 * Turns a stream of tokens into text pieces. A character whose UTF-8 bytes span several tokens
 * (always the case with a byte-level vocabulary) is held (`push` returns null) until the token that
 * completes it, which gets the whole character — so every piece is valid text and the pieces join to
 * the full detokenisation. A character split between the SLM's and the LLM's tokens therefore takes
 * the source (colour) of the model whose token completed it; the earlier tokens carry "". `flush`
 * returns what is still held when decoding ends.
 */

/** Longest run of tokens that may still be one unfinished character (UTF-8 has at most 4 bytes). */
const MAX_PENDING = 4;
/** Emitted tokens kept as left context for detokenisation (spaces, merges). */
const CONTEXT = 8;

export class TextStream {
    private readonly tokens: number[] = [];
    private emitted = 0;

    constructor(private readonly detokenize: (tokens: number[]) => string) {}

    push(token: number): string | null {
        this.tokens.push(token);
        const start = Math.max(0, this.emitted - CONTEXT);
        const all = this.detokenize(this.tokens.slice(start));
        if (all.endsWith("\uFFFD") && this.tokens.length - this.emitted < MAX_PENDING) return null;
        return this.take(start, all);
    }

    flush(): string {
        if (this.emitted === this.tokens.length) return "";
        const start = Math.max(0, this.emitted - CONTEXT);
        return this.take(start, this.detokenize(this.tokens.slice(start)));
    }

    private take(start: number, all: string): string {
        const base = this.detokenize(this.tokens.slice(start, this.emitted));
        this.emitted = this.tokens.length;
        return all.startsWith(base) ? all.slice(base.length) : all.slice(commonPrefix(all, base));
    }
}

function commonPrefix(a: string, b: string): number {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i;
}
