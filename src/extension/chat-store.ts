/**
 * Where past chats are kept, in the extension's global storage folder (shared by every window and
 * workspace): a small index (title, times, number of turns; at most MAX_CHATS entries) and each
 * chat's turns (up to about a megabyte: MAX_TURNS turns, MAX_STORED_TOKENS tokens) as a JSON file of
 * its own, read only when that chat is opened. Files, not `globalState`: VS Code keeps all of that
 * state in memory and is meant for small values. Both are checked when read back (schemas below): a
 * store that fails its check yields an empty list and one short reason, never an exception. Writes go
 * to a temporary file that is then renamed, one at a time.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { turnSchema, type Turn } from "../protocol.ts";
import { FieldError, integer, list, literal, object, optional, parse, string } from "../schema.ts";
import { chatMessageSchema } from "../stitch/events.ts";

export interface KeyValueStore {
    get<T>(key: string): T | undefined;
    update(key: string, value: unknown): PromiseLike<void>;
}

export const INDEX_KEY = "rstitch.chats.v1";

/** One JSON value in a file, as a key-value store (the index); `get` throws on a file that is not JSON. */
export class JsonFile implements KeyValueStore {
    constructor(private readonly path: string) {}

    get<T>(): T | undefined {
        let text: string;
        try {
            text = readFileSync(this.path, "utf8");
        } catch {
            return undefined; // no chats saved yet
        }
        return JSON.parse(text) as T;
    }

    async update(_key: string, value: unknown): Promise<void> {
        mkdirSync(dirname(this.path), { recursive: true });
        const tmp = `${this.path}.${process.pid}.tmp`;
        writeFileSync(tmp, JSON.stringify(value));
        renameSync(tmp, this.path);
    }
}
/** At most this many chats are kept; the least recently used are pruned. */
export const MAX_CHATS = 50;
export const MAX_TURNS = 30;
export const MAX_STORED_TOKENS = 40_000;
const MAX_TITLE = 80;

const summarySchema = object({
    id: string,
    /** From the first question, or the name the user gave it. */
    title: string,
    /** Set once the user renamed the chat: the title no longer follows the first question. */
    renamed: optional(literal(1)),
    createdAt: integer(),
    updatedAt: integer(),
    turns: integer(),
});
export interface ChatSummary {
    id: string;
    title: string;
    renamed?: 1;
    createdAt: number;
    updatedAt: number;
    turns: number;
}

const indexSchema = object({ v: literal(1), chats: list(summarySchema, 4 * MAX_CHATS) });

/** A stored turn: what the view is sent, plus the host's own fields (token ids, the conversation the models were given). */
const storedTurnSchema = object({ ...turnSchema.shape, tokenIds: optional(list(integer())), messages: optional(list(chatMessageSchema)) });
const chatFileSchema = object({ v: literal(1), id: string, turns: list(storedTurnSchema, 4 * MAX_TURNS) });

/** One stored turn checked on its own (a turn of the former single-conversation store). */
export function storedTurn(v: unknown): Turn | undefined {
    try {
        return parse(storedTurnSchema, v, "turn") as Turn;
    } catch {
        return undefined;
    }
}

/** A short reason, never a stack: "chats[2].updatedAt is not a number". */
function reasonOf(e: unknown): string {
    if (e instanceof FieldError || e instanceof SyntaxError) return e.message;
    const code = (e as NodeJS.ErrnoException)?.code;
    return code ? `${code}` : e instanceof Error ? e.message : String(e);
}

/** The title of a chat from its first question: one line, cut to fit a list row. */
export function titleFrom(turns: readonly Turn[]): string {
    const first = turns[0];
    const text = (first?.label ?? first?.prompt ?? "").replace(/\s+/g, " ").trim();
    if (!text) return "New chat";
    return text.length > MAX_TITLE ? text.slice(0, MAX_TITLE - 1) + "…" : text;
}

export class ChatStore {
    private queue: Promise<unknown> = Promise.resolve();

    constructor(
        private readonly index: KeyValueStore,
        private readonly dir: string,
    ) {}

    /** The chats, most recently used first; `problem` says why the stored list could not be used. */
    list(): { chats: ChatSummary[]; problem?: string } {
        try {
            const raw = this.index.get<unknown>(INDEX_KEY);
            if (raw === undefined) return { chats: [] };
            const chats = parse(indexSchema, raw, "the list of chats").chats as ChatSummary[];
            return { chats: [...chats].sort((a, b) => b.updatedAt - a.updatedAt) };
        } catch (e) {
            return { chats: [], problem: `the list of saved chats could not be read (${reasonOf(e)}), so it starts empty` };
        }
    }

    summary(id: string): ChatSummary | undefined {
        return this.list().chats.find((c) => c.id === id);
    }

    /** A chat's turns, checked; `problem` when the file is missing or fails its check. */
    read(id: string): { turns: Turn[] } | { problem: string } {
        try {
            const file = parse(chatFileSchema, JSON.parse(readFileSync(this.file(id), "utf8")), "the chat");
            if (file.id !== id) return { problem: "the chat's file belongs to another chat" };
            return { turns: file.turns as Turn[] };
        } catch (e) {
            return { problem: `the chat could not be read (${reasonOf(e)})` };
        }
    }

    /** Writes a chat's turns and its entry; entries beyond MAX_CHATS (the least recently used) are pruned with their files. */
    write(summary: ChatSummary, turns: readonly Turn[]): Promise<void> {
        return this.serial(async () => {
            mkdirSync(this.dir, { recursive: true });
            const file = this.file(summary.id);
            const tmp = `${file}.${process.pid}.tmp`;
            await writeFile(tmp, JSON.stringify({ v: 1, id: summary.id, turns }));
            await rename(tmp, file);
            const chats = [summary, ...this.list().chats.filter((c) => c.id !== summary.id)].sort((a, b) => b.updatedAt - a.updatedAt);
            await this.index.update(INDEX_KEY, { v: 1, chats: chats.slice(0, MAX_CHATS) });
            for (const old of chats.slice(MAX_CHATS)) await rm(this.file(old.id), { force: true });
        });
    }

    /** Renames a listed chat (its entry only). */
    rename(id: string, title: string): Promise<void> {
        return this.serial(async () => {
            const { chats } = this.list();
            if (!chats.some((c) => c.id === id)) return;
            await this.index.update(INDEX_KEY, { v: 1, chats: chats.map((c) => (c.id === id ? { ...c, title, renamed: 1 as const } : c)) });
        });
    }

    /** Removes a chat's entry and file. */
    remove(id: string): Promise<void> {
        return this.serial(async () => {
            const { chats } = this.list();
            if (chats.some((c) => c.id === id)) await this.index.update(INDEX_KEY, { v: 1, chats: chats.filter((c) => c.id !== id) });
            await rm(this.file(id), { force: true });
        });
    }

    private file(id: string): string {
        // Ids are our own UUIDs; anything else is kept inside the folder all the same.
        return join(this.dir, `${id.replace(/[^A-Za-z0-9-]/g, "_")}.json`);
    }

    private serial(job: () => Promise<void>): Promise<void> {
        const next = this.queue.then(job, job);
        this.queue = next.catch(() => undefined);
        return next;
    }
}
