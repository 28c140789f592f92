import type { KeyValueStore } from "../../src/extension/conversation.ts";

/** The extension's workspace state, in memory: values go in and come out as copies, as VS Code's do. */
export class MapStore implements KeyValueStore {
    data = new Map<string, unknown>();
    get<T>(key: string) {
        return structuredClone(this.data.get(key)) as T | undefined;
    }
    async update(key: string, value: unknown) {
        this.data.set(key, structuredClone(value));
    }
}
