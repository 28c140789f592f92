/**
 * Every error code the project's errors carry, with what it means: one record, from which each
 * error's `code` field is typed, so a code is added (or removed) here and nowhere else. The user-facing
 * message is the error's own (what happened, what to do); these meanings are what the code promises.
 */
export const ERROR_CODES = {
    /** A model pair cannot be used (PairLoadError). */
    pair: {
        "missing-file": "a model file does not exist or cannot be read",
        "bad-file": "a model file is not a GGUF model llama.cpp can load (damaged, truncated, wrong architecture)",
        "tokenizer-mismatch": "the two models do not share one tokenizer",
        "load-failed": "llama.cpp could not load a model (memory, backend)",
        server: "the LLM server (--llm-url, rstitch.LLMServerURL) is down, slow, or refused the request",
    },
    /** Talking to the LLM server failed (RemoteLlmError). */
    remote: {
        unreachable: "the server cannot be reached (refused, unknown host, network)",
        timeout: "the server did not answer, or stopped streaming, within the timeout",
        http: "the server answered with an HTTP error",
        busy: "the server is busy (HTTP 429, or 503 with Retry-After) mid-answer, or still after the waits it asked for",
        certificate: "the https:// server's certificate is not trusted (unknown CA, expired, another host's)",
        auth: "the server refused the API key, or wants one",
        "not-llama-server": "the address answers, but not as llama-server's native API",
        "stream-dropped": "the answer's stream ended before the generation did",
        "tokenizer-mismatch": "the server's model does not share the SLM's tokenizer",
        "bad-answer": "the server's answer cannot be read (missing fields, wrong token count)",
    },
    /** An answer stopped with an error event whose cause is the input, not the decoder. */
    decode: {
        "prompt-too-long": "the prompt does not fit the context",
    },
    /** A model download failed (DownloadError). */
    download: {
        http: "the server answered with an HTTP error",
        network: "the connection failed or dropped",
        "disk-space": "the disk has too little free space for the file",
        "bad-file": "the downloaded file is not the expected one (size, GGUF check)",
        cancelled: "the user cancelled the download",
        stalled: "no data arrived for too long",
    },
} as const satisfies Record<string, Record<string, string>>;

export type PairErrorCode = keyof typeof ERROR_CODES.pair;
export type RemoteErrorCode = keyof typeof ERROR_CODES.remote;
export type DecodeErrorCode = keyof typeof ERROR_CODES.decode;
export type DownloadErrorCode = keyof typeof ERROR_CODES.download;

/** Whether `code` is one of `family`'s codes (for errors checked by shape, across bundles). */
export function isErrorCode<F extends keyof typeof ERROR_CODES>(family: F, code: unknown): code is keyof (typeof ERROR_CODES)[F] {
    return typeof code === "string" && Object.hasOwn(ERROR_CODES[family], code);
}
