/**
 * Reads the tokens and top-N log-probabilities of one `/v1/completions` stream chunk, in the forms
 * the engines send them:
 *  - llama-server: `logprobs.content[]`, each entry with its token `id` and `top_logprobs[]` with ids;
 *  - the OpenAI legacy form (vLLM, SGLang): `logprobs.tokens[]` and `top_logprobs[]` as objects keyed
 *    by token. vLLM with `return_tokens_as_token_ids` writes the keys as "token_id:N"; SGLang writes the
 *    token's text and gives the chosen ids in `token_ids` (`return_token_ids`).
 * A text key is turned back into an id only when exactly one token of the (checked, shared) tokenizer
 * has that text. Entropy needs only the probabilities, so an unresolved entry still counts there; a
 * chosen token whose id cannot be known is an error rather than a guess.
 */
import { RemoteLlmError } from "./errors.ts";

export interface ReportedToken {
    id: number;
    /** Every listed probability, resolved to an id or not (the entropy bound reads these). */
    listed: number[];
    /** The listed probabilities whose token id is known. */
    byId: Map<number, number>;
}

/** Text of a token → its id; `null` where several tokens share the text. */
export type TokenNames = ReadonlyMap<string, number | null>;

export function tokenNames(vocabularySize: number, text: (id: number) => string): TokenNames {
    const names = new Map<string, number | null>();
    for (let id = 0; id < vocabularySize; id++) {
        const t = text(id);
        names.set(t, names.has(t) ? null : id);
    }
    return names;
}

interface ContentEntry {
    id?: number;
    logprob?: number;
    top_logprobs?: { id?: number; logprob?: number }[];
}

export interface CompletionChoice {
    text?: string;
    finish_reason?: string | null;
    token_ids?: number[];
    logprobs?: {
        content?: ContentEntry[];
        tokens?: string[];
        token_logprobs?: (number | null)[];
        top_logprobs?: (Record<string, number> | null)[];
    } | null;
}

const TOKEN_ID = /^token_id:(\d+)$/;

function idOfKey(key: string, names: TokenNames | undefined): number | undefined {
    const m = TOKEN_ID.exec(key);
    if (m) return Number(m[1]);
    const id = names?.get(key);
    return id ?? undefined;
}

/** The tokens one chunk carries, in order ([] for a chunk without tokens). */
export function readChunkTokens(choice: CompletionChoice, names: TokenNames | undefined, where: string): ReportedToken[] {
    const lp = choice.logprobs;
    if (!lp) return [];
    if (Array.isArray(lp.content)) {
        return lp.content.map((e) => {
            if (typeof e.id !== "number") throw new RemoteLlmError("bad-answer", `${where} sent log-probabilities without token ids.`);
            const top = (e.top_logprobs ?? []).filter((t) => typeof t.logprob === "number");
            const byId = new Map<number, number>();
            for (const t of top) if (typeof t.id === "number") byId.set(t.id, Math.exp(t.logprob!));
            return { id: e.id, listed: top.map((t) => Math.exp(t.logprob!)), byId };
        });
    }
    const tokens = lp.tokens ?? [];
    const ids = choice.token_ids?.length === tokens.length ? choice.token_ids : undefined;
    return tokens.map((text, i) => {
        const id = ids?.[i] ?? idOfKey(text, names);
        if (id === undefined) {
            throw new RemoteLlmError("bad-answer", `${where} names a token only by its text ${JSON.stringify(text)}, which ${names?.get(text) === null ? "several tokens share" : "no token of the SLM's tokenizer has"}; R-Stitch cannot tell which token it wrote. Serve it with vLLM (R-Stitch asks for return_tokens_as_token_ids) or an engine that returns token ids.`);
        }
        const top = lp.top_logprobs?.[i] ?? {};
        const listed: number[] = [];
        const byId = new Map<number, number>();
        for (const [key, logprob] of Object.entries(top)) {
            if (typeof logprob !== "number") continue;
            const p = Math.exp(logprob);
            listed.push(p);
            const known = idOfKey(key, names);
            if (known !== undefined) byId.set(known, p);
        }
        return { id, listed, byId };
    });
}
