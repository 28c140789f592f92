/** A failure talking to the LLM server, with a message meant for the user (what happened, what to do). */
export type RemoteErrorCode = "unreachable" | "timeout" | "http" | "auth" | "not-llama-server" | "stream-dropped" | "tokenizer-mismatch" | "bad-answer";

export class RemoteLlmError extends Error {
    constructor(readonly code: RemoteErrorCode, message: string) {
        super(message);
        this.name = "RemoteLlmError";
    }
}
