import { MODE_TABLE, MODES, ROUTING_TABLE, ROUTINGS } from "../modes.ts";

/** A mistake in how the CLI was called: printed as a message, exit status 2, never a stack trace. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

export const HELP = `rstitch — R-Stitch: a small and a large GGUF model decode one answer together.

Usage:
  rstitch solve [options] [PROMPT]     solve one problem (PROMPT or standard input)
  rstitch chat  [options]              a conversation: one question per line (standard input or a
                                       prompt), each answered with the conversation so far
  rstitch eval  [options]              accuracy, tokens, LLM share and time per mode on held-out problems
  rstitch bench [options]              R-Stitch against LLM-only, SLM-only and speculative decoding
  rstitch calibrate [options]          learn the pair: the τ for a target, the router, the budget
                                       (writes a calibration file; rstitch calibrate --help)
  rstitch load --llm-url URL --clients N [options]
                                       N people at once on one LLM server: N stitched clients, then
                                       N LLM-only clients, on the same problems (README "A shared LLM server")
  rstitch models list|pull|check       recommended pairs, their download, and the pair check (rstitch models help)
  rstitch help                         this text

Model options (all commands):
  --slm FILE            small model (GGUF); default: the embedded demo pair
  --llm FILE            large model (GGUF, same tokenizer as --slm)
  --threads N           CPU threads (default: llama.cpp's choice)
  --context N           context size in tokens (default 2048)
  --gpu-layers N        model layers offloaded to a GPU (default 0; needs a GPU build, see README "GPU")
  --flash-attention on|off  llama.cpp's flash attention (default: off on the CPU, llama.cpp's choice on a GPU)
  --llm-url URL         the LLM is the one llama-server runs at URL (instead of --llm); the SLM stays local
                        (https:// signed by a private CA: set NODE_EXTRA_CA_CERTS=ca.pem)
  --api-key-env NAME    with --llm-url: read the server's API key from environment variable NAME
  --llm-timeout S       with --llm-url: longest wait for the server, seconds (default 60)
  --llm-api API         with --llm-url: auto (default: detected), llama (llama-server's own API) or
                        openai (/v1/completions: vLLM, SGLang, llama-server)

Decoding options:
  --mode M              ${MODES.join(" | ")} (default stitch)
${MODES.map((m) => `                          ${m}: ${MODE_TABLE[m].description}`).join("\n")}
  --threshold T         entropy threshold τ in [0, 1] (normalised); 0 = LLM only, 1 = SLM only
  --budget N            maximum tokens to generate (default 512)
  --temperature X       0 = greedy (default); > 0 samples
  --seed S              seed for sampling (default 0)
  --entropy E           auto | exact | tail | topk (default auto: exact up to 8192 entries, else tail)
  --routing R           stitch: ${ROUTINGS.join(" | ")} (default threshold; a calibration alone means router)
${ROUTINGS.map((r) => `                          ${r}: ${ROUTING_TABLE[r].description}`).join("\n")}
  --calibration FILE    the pair's calibration (rstitch calibrate): its τ, router and budget; stats.calibration
                        says it was used (router and budget find NAME.calibration.json beside the models)
  --llm-share X         budget: the LLM share to hold, 0–1 (default: the calibration's)
  --draft N             ${MODES.filter((m) => MODE_TABLE[m].drafts).join(", ")}: draft tokens per step (default 4)

Eval and bench:
  --problems N          how many problems (default 100)
  --split NAME          problems from data/NAME.jsonl (eval: default heldout; bench: default test;
                        tune = the split τ is chosen on)
  --file FILE           problems from a JSONL file: {"prompt": "...", "answer": "..."} per line
  --modes LIST          eval: modes to run (default slm,llm,stitch)
  --thresholds LIST     bench: τ sweep (default 0,0.005,0.01,0.02,0.03,0.05,0.1,0.2,1)
  --drafts LIST         bench: speculative draft lengths (default 2,4,8)
  --out DIR             bench: where bench.json and bench.svg go (default results)
  --pair NAME           bench: models/NAME-slm.gguf + models/NAME-llm.gguf (default demo)
  --peers auto|none     bench: llama.cpp's own server as a peer when installed (default auto)
  --modes LIST          bench: only these modes' rows (LLM only is always run; default every mode)
  --calibration FILE    bench: router and budget rows with this calibration (default: the pair's own
                        beside its models; none: no such rows)
  --llm-shares LIST     bench: budget rows at these LLM shares (default: the calibration's)
  --llm-cost-ratio R    bench: every row with the LLM made R times as costly per token as the SLM: the
                        same file plus zero-output layers (same tokens), the count fitted from measurements
  --llm-layers N        bench: the same with N layers in all (reproducible); variants are cached in
                        ~/.cache/rstitch/cost-variants
  --llm-url URL         bench: also the same configurations with the LLM on that llama-server (local
                        LLM rows stay), with the round trip per LLM request

Calibrate:
  --pair NAME | --slm FILE --llm FILE   the pair (default demo)
  --file FILE           prompts, JSONL {"prompt": "...", "answer"?: "..."} per line (demo/paper pairs:
                        built-in ones from the tuning split, never the test split)
  --problems N          how many of them (default all of --file; 200 built-in)
  --target T            agreement:SHARE (answers the LLM would write unchanged, default 0.99) or
                        accuracy:POINTS (within POINTS of the LLM; default when every prompt has an answer)
  --out FILE            where to write (default NAME.calibration.json beside the models)

Load (rstitch load):
  --clients N|LIST      clients at once (1–32), or a list, e.g. 1,2,4,8 (each count in turn, both modes;
                        a list also gives "people per server at equal p95")
  --problems M          problems each client answers (default 16; from --split, default test, or --file)
  --time-limit S        each phase stops after S seconds (default 600); answers cut off count as errors
  --allow-remote-host   allow an --llm-url that is not on this machine (loopback only by default)
  --threshold, --budget, --entropy as above; the figures: answers/min, p50/p95 s per answer, LLM
                        requests and tokens per answer, the server's prompt-cache reuse (llama-server
                        --metrics), errors; exit status 1 when any answer failed or differed

Output:
  --json                one JSON object at the end: {text, answer, tokens: [{id, text, source, entropy}], stopReason, stats}
                        (answer: the final answer, as in the trace, or null; stopReason: eog | stopTrigger | budget | abort);
                        chat: one per turn, also with messages (the conversation the models were given,
                        [{role, text}]), promptTokens (its rendering's length), prefill {slm, llm} (the
                        tokens of it each model evaluated in this turn), and turnsLeftOut + note when
                        the oldest turns were left out to fit the context
  --trace-dir DIR       chat: one trace per turn (turn-001.trace.json, …), each with the conversation
                        it answered ("messages")
  --no-reuse            chat: the models read the whole conversation again every turn (for comparison;
                        by default a follow-up evaluates only its new text)
  --trace FILE          solve: also write the answer's trace (every token's id, text, model and entropy,
                        the switches, the stats) to FILE as JSON; the extension's "Open Trace…" shows it
  NO_COLOR=1            plain text (also when standard output is not a terminal)

Exit status: 0 success, 1 runtime failure, 2 bad usage or bad input.`;
