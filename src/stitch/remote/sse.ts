/**
 * Splits a server-sent-events byte stream into the JSON payloads of its `data:` lines. llama-server
 * sends one `data: {...}` event per token; comment lines (pings) and other fields are skipped.
 */
export class SseParser {
    private buffer = "";
    private readonly decoder = new TextDecoder();

    /** Feeds raw bytes; returns the payloads completed by them. */
    push(chunk: Uint8Array): string[] {
        this.buffer += this.decoder.decode(chunk, { stream: true });
        const payloads: string[] = [];
        let newline: number;
        while ((newline = this.buffer.indexOf("\n")) >= 0) {
            const line = this.buffer.slice(0, newline).replace(/\r$/, "");
            this.buffer = this.buffer.slice(newline + 1);
            if (line.startsWith("data:")) payloads.push(line.slice(5).trimStart());
        }
        return payloads;
    }
}
