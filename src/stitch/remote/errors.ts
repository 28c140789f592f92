/** A failure talking to the LLM server, with a message meant for the user (what happened, what to do; codes: ERROR_CODES.remote). */
import type { RemoteErrorCode } from "../../error-codes.ts";

export type { RemoteErrorCode };

export class RemoteLlmError extends Error {
    constructor(readonly code: RemoteErrorCode, message: string) {
        super(message);
        this.name = "RemoteLlmError";
    }
}
