/**
 * The remote lane's bookkeeping against a scripted stand-in for llama-server's /completion stream
 * (the real server is exercised in test/decoder/remote-llm.test.ts; this covers what the demo models
 * never trigger): the stream closed at the hand-back, the next turn's request carrying prompt ⊕ output
 * as ids, and tokens whose events llama-server withholds (text ending inside a UTF-8 character).
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, before, test } from "node:test";
import type { Token } from "node-llama-cpp";
import { LlamaServerClient } from "../../src/stitch/remote/server-client.ts";
import { RemoteLane } from "../../src/stitch/remote/remote-lane.ts";

const V = 8;
/** The server's greedy continuation of any context, by absolute position. */
const SCRIPT = [5, 6, 7, 1, 2, 3, 4, 5, 6, 7, 1, 2];
/** Positions whose event the stand-in withholds, as llama-server does for incomplete UTF-8. */
const WITHHELD = new Set([7]);
/** Positions where the server is sure (one-hot): the LLM hands back there at τ = 0.5. */
const SURE = new Set([4]);

const requests: { prompt: number[]; stream: boolean; nPredict: number }[] = [];
let hangups = 0;
let server: Server;
let url = "";

function probs(position: number) {
    const id = SCRIPT[position];
    const top = SURE.has(position)
        ? [{ id, logprob: 0 }, ...Array.from({ length: V - 1 }, (_, i) => ({ id: (id + 1 + i) % V, logprob: -1e30 }))]
        : Array.from({ length: V }, (_, i) => ({ id: (id + i) % V, logprob: Math.log(i === 0 ? 0.3 : 0.1) }));
    return { id, logprob: top[0].logprob, top_logprobs: top };
}

before(async () => {
    server = createServer((req, res) => {
        let body = "";
        req.on("data", (d) => (body += d));
        req.on("end", () => {
            const r = JSON.parse(body) as { prompt: number[]; stream?: boolean; n_predict: number };
            requests.push({ prompt: r.prompt, stream: !!r.stream, nPredict: r.n_predict });
            const start = r.prompt.length;
            const count = Math.min(r.n_predict, SCRIPT.length - start);
            if (!r.stream) {
                res.end(JSON.stringify({ tokens: SCRIPT.slice(start, start + count), stop: true }));
                return;
            }
            res.writeHead(200, { "Content-Type": "text/event-stream" });
            let finished = false;
            res.on("close", () => {
                if (!finished) hangups++;
            });
            const send = (i: number): void => {
                if (res.destroyed) return;
                if (i === count) {
                    finished = true;
                    res.end(`data: ${JSON.stringify({ stop: true, stop_type: "limit", tokens_predicted: count })}\n\n`);
                    return;
                }
                if (!WITHHELD.has(start + i)) {
                    res.write(`data: ${JSON.stringify({ tokens: [SCRIPT[start + i]], stop: false, tokens_predicted: i + 1, completion_probabilities: [probs(start + i)] })}\n\n`);
                }
                // After a sure token, wait for the client to hang up (as it should) before going on.
                setTimeout(() => send(i + 1), SURE.has(start + i) ? 5000 : 0);
            };
            send(0);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test("the stream closes at the hand-back; the next turn sends prompt ⊕ output as ids; withheld tokens are fetched, not lost", async () => {
    const lane = new RemoteLane({ client: new LlamaServerClient({ url, timeoutMs: 5000 }), vocabularySize: V, threshold: 0.5, budget: 10 });
    lane.append([5, 6] as Token[]); // the prompt: SCRIPT[0..1]

    // First LLM turn: positions 2, 3, 4; position 4 is sure, so the lane hands back there.
    const turn1: number[] = [];
    for (;;) {
        const p = await lane.predict();
        turn1.push(p.greedy);
        lane.append([p.greedy as Token]);
        if (p.entropy <= 0.5) break;
    }
    assert.deepEqual(turn1, [7, 1, 2]);
    assert.equal(requests.length, 1);
    assert.deepEqual(requests[0].prompt, [5, 6]);
    assert.equal(requests[0].nPredict, 10);
    for (let i = 0; i < 50 && hangups === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(hangups, 1, "the lane hung up at the hand-back instead of reading the rest");

    // The SLM writes position 5; the LLM's second turn starts at 6 and meets the withheld position 7.
    lane.append([3] as Token[]);
    const turn2: { id: number; entropy: number }[] = [];
    for (let i = 0; i < 4; i++) {
        const p = await lane.predict();
        turn2.push({ id: p.greedy, entropy: p.entropy });
        lane.append([p.greedy as Token]);
    }
    assert.deepEqual(turn2.map((t) => t.id), [4, 5, 6, 7]);
    assert.equal(turn2[1].entropy, 1, "no probabilities for the withheld token: it stays the LLM's");
    assert.ok(turn2[0].entropy > 0 && turn2[0].entropy < 1);
    // Request 2: the new turn with the whole context; 3: the ids of the withheld stretch; 4: streaming again.
    assert.deepEqual(requests[1].prompt, [5, 6, 7, 1, 2, 3]);
    assert.equal(requests[1].stream, true);
    assert.deepEqual([requests[2].prompt.length, requests[2].stream, requests[2].nPredict], [7, false, 2]);
    assert.deepEqual([requests[3].prompt.length, requests[3].stream], [9, true]);
    assert.equal(lane.remote.unreported, 1);
    assert.equal(lane.remote.requests, 4);
    await lane.close();
});
