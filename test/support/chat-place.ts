import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChatStore, JsonFile } from "../../src/extension/chat-store.ts";
import { Conversation } from "../../src/extension/conversation.ts";
import { MapStore } from "./map-store.ts";

/**
 * Where the extension keeps chats, for a unit test: the index and chat files as the extension writes
 * them, in a fresh temporary folder; the workspace state in memory. `open()` is a window (or a
 * restart) reading them.
 */
export function chatPlace() {
    const workspace = new MapStore();
    const dir = join(mkdtempSync(join(tmpdir(), "rstitch-chats-")), "chats");
    const index = join(dir, "index.json");
    const store = () => new ChatStore(new JsonFile(index), dir);
    return { workspace, dir, index, store, open: (now?: () => number) => new Conversation(store(), workspace, now) };
}
