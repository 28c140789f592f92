import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChatStore } from "../../src/extension/chat-store.ts";
import { Conversation } from "../../src/extension/conversation.ts";
import { MapStore } from "./map-store.ts";

/**
 * Where the extension keeps chats, for a unit test: global state and workspace state in memory, the
 * chat files in a fresh temporary folder. `open()` is a window (or a restart) reading them.
 */
export function chatPlace() {
    const global = new MapStore();
    const workspace = new MapStore();
    const dir = join(mkdtempSync(join(tmpdir(), "rstitch-chats-")), "chats");
    const store = () => new ChatStore(global, dir);
    return { global, workspace, dir, store, open: (now?: () => number) => new Conversation(store(), workspace, now) };
}
