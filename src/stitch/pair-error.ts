/** Why a model pair cannot be used, with a message meant for the user. */
export type PairErrorCode = "missing-file" | "bad-file" | "tokenizer-mismatch" | "load-failed";

export class PairLoadError extends Error {
    constructor(readonly code: PairErrorCode, message: string, readonly path?: string) {
        super(message);
        this.name = "PairLoadError";
    }
}
