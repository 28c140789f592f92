/** Why a model pair cannot be used, with a message meant for the user (codes: ERROR_CODES.pair). */
import type { PairErrorCode } from "../error-codes.ts";

export type { PairErrorCode };

export class PairLoadError extends Error {
    constructor(readonly code: PairErrorCode, message: string, readonly path?: string) {
        super(message);
        this.name = "PairLoadError";
    }
}
