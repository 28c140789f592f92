/** Why a model pair cannot be used, with a message meant for the user. */
// "server": the LLM server (--llm-url, rstitch.LLMServerURL) is down, slow, or refused the request.
export type PairErrorCode = "missing-file" | "bad-file" | "tokenizer-mismatch" | "load-failed" | "server";

export class PairLoadError extends Error {
    constructor(readonly code: PairErrorCode, message: string, readonly path?: string) {
        super(message);
        this.name = "PairLoadError";
    }
}
