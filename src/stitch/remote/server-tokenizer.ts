/**
 * Before the first request: the LLM server must use exactly the local SLM's tokenizer, because the two
 * models write one token stream. Compared through llama-server's own endpoints: the vocabulary size
 * (`/v1/models` meta), the text of EVERY token id (`/tokenize` with token ids and `with_pieces`), the
 * BOS/EOS tokens (`/props`), and the tokenisation of a probe text (merges, pre-tokenizer).
 */
import type { Token } from "node-llama-cpp";
import { RemoteLlmError } from "./errors.ts";
import type { LlamaServerClient } from "./server-client.ts";

/** The part of a node-llama-cpp model the check reads. */
export interface LocalTokenizer {
    vocabularySize: number;
    tokenize(text: string): Token[];
    /** The text of tokens, special tokens written out. */
    detokenize(tokens: readonly Token[]): string;
    bos: Token | null;
    eos: Token | null;
}

export interface ServerModel {
    /** The model's name or file as the server reports it. */
    name: string;
    vocabularySize: number;
    /** Tokens one request may hold (the server's context per slot). */
    contextSize: number;
    slots: number;
    build: string;
}

interface Props {
    default_generation_settings?: { n_ctx?: number };
    total_slots?: number;
    model_path?: string;
    model_alias?: string;
    bos_token?: string;
    eos_token?: string;
    build_info?: string;
}

interface Models {
    data?: { id?: string; meta?: { n_vocab?: number; n_ctx?: number } }[];
}

const PIECES_PER_REQUEST = 4096;

/** Text that exercises spaces, digits, punctuation, newlines and multi-byte characters. */
export const PROBE_TEXT = "What is 47 * 36? Let's think step by step.\n  47 * 36 = 1692\nAnswer: 1692 — naïve café, 数学, ünïcödé 🙂\t{x: [1, 2]}";

function pieceText(piece: string | number[]): string {
    return typeof piece === "string" ? piece : new TextDecoder().decode(Uint8Array.from(piece));
}

function show(text: string): string {
    return JSON.stringify(text.length > 40 ? text.slice(0, 40) + "…" : text);
}

/** Reads what the server runs and refuses it unless its tokenizer is the local one. */
export async function checkServerTokenizer(client: LlamaServerClient, local: LocalTokenizer, signal?: AbortSignal): Promise<ServerModel> {
    const props = await client.getJson<Props>("/props", signal);
    const models = await client.getJson<Models>("/v1/models", signal);
    const meta = models.data?.[0]?.meta;
    const name = props.model_alias || props.model_path || models.data?.[0]?.id || "unknown model";
    const refuse = (why: string) =>
        new RemoteLlmError("tokenizer-mismatch", `The LLM server at ${client.url} runs ${name}, whose tokenizer differs from the local small model's (${why}); the two models cannot write one output together. Serve an LLM of the same family as the SLM.`);

    if (typeof meta?.n_vocab !== "number") {
        throw new RemoteLlmError("not-llama-server", `The server at ${client.url} does not report its vocabulary (/v1/models meta.n_vocab); R-Stitch needs llama.cpp's llama-server.`);
    }
    if (meta.n_vocab !== local.vocabularySize) throw refuse(`vocabulary of ${meta.n_vocab} tokens, the SLM has ${local.vocabularySize}`);

    for (let start = 0; start < local.vocabularySize; start += PIECES_PER_REQUEST) {
        const ids = Array.from({ length: Math.min(PIECES_PER_REQUEST, local.vocabularySize - start) }, (_, i) => start + i);
        const answer = await client.postJson<{ tokens: { id: number; piece: string | number[] }[] }>("/tokenize", { content: ids, with_pieces: true }, signal);
        if (answer.tokens?.length !== ids.length) throw new RemoteLlmError("bad-answer", `The LLM server at ${client.url} answered /tokenize with ${answer.tokens?.length ?? 0} pieces for ${ids.length} token ids.`);
        for (let i = 0; i < ids.length; i++) {
            const remote = pieceText(answer.tokens[i].piece);
            const own = local.detokenize([ids[i] as Token]);
            if (remote !== own) throw refuse(`token ${ids[i]} is ${show(remote)} on the server, ${show(own)} locally`);
        }
    }

    for (const [role, id, text] of [["BOS", local.bos, props.bos_token], ["EOS", local.eos, props.eos_token]] as const) {
        const own = id === null ? "" : local.detokenize([id]);
        if ((text ?? "") !== own) throw refuse(`${role} token is ${show(text ?? "")} on the server, ${show(own)} locally`);
    }

    const probe = await client.postJson<{ tokens: number[] }>("/tokenize", { content: PROBE_TEXT, add_special: false, parse_special: false }, signal);
    const own = local.tokenize(PROBE_TEXT);
    const at = own.findIndex((t, i) => probe.tokens?.[i] !== t);
    if (at >= 0 || probe.tokens?.length !== own.length) {
        throw refuse(`a probe text splits into different tokens${at >= 0 ? ` from token ${at}` : ""}: ${probe.tokens?.length} on the server, ${own.length} locally`);
    }

    return {
        name,
        vocabularySize: meta.n_vocab,
        contextSize: props.default_generation_settings?.n_ctx ?? meta.n_ctx ?? 0,
        slots: props.total_slots ?? 1,
        build: props.build_info ?? "",
    };
}
