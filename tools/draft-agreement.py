"""How often the SLM's greedy token equals the LLM's along the LLM's own greedy trace: the per-token
acceptance that greedy speculative decoding (SLM drafts, LLM verifies) can reach, and the mean number
of draft tokens accepted per LLM pass for a few draft lengths.

The LLM's trace is taken as the held-out reference solution (the long style), teacher-forced, and only
problems where the LLM's greedy token matches the reference at every position count, so each counted
trace is exactly what the LLM writes.

  /usr/bin/python3 tools/draft-agreement.py models/paper-slm.gguf models/paper-llm.gguf [--n 200]
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train  # noqa: E402


def open_gguf(path):
    meta, t = train.read_gguf(path)
    m = train.Llama(meta["llama.embedding_length"], meta["llama.block_count"], meta["llama.attention.head_count"],
                    meta["llama.feed_forward_length"], 512)
    train.load_gguf(m, path)
    return m.eval()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("slm")
    ap.add_argument("llm")
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--drafts", default="2,4,8")
    args = ap.parse_args()
    torch.set_num_threads(1)
    slm, llm = open_gguf(args.slm), open_gguf(args.llm)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "data", "heldout.jsonl")) as f:
        problems = [json.loads(l) for l in f][: args.n]
    drafts = [int(k) for k in args.drafts.split(",")]
    agree = total = used = 0
    runs = {k: [0, 0] for k in drafts}  # tokens produced, LLM passes
    for p in problems:
        toks, np_ = train.example_tokens(p)
        x = torch.tensor([toks[:-1]])
        with torch.no_grad():
            a_llm = llm(x)[0, np_ - 1:].argmax(-1).tolist()
            a_slm = slm(x)[0, np_ - 1:].argmax(-1).tolist()
        target = toks[np_:]
        if a_llm != target:
            continue
        used += 1
        ok = [s == l for s, l in zip(a_slm, a_llm)]
        agree += sum(ok)
        total += len(ok)
        # Greedy speculative decoding with k drafts: each LLM pass accepts the agreeing prefix of the
        # draft plus one token of its own. (Drafts after the first disagreement follow the LLM's text
        # here, which is what the SLM would see after the correction.)
        for k in drafts:
            i = 0
            while i < len(ok):
                j = 0
                while j < k and i + j < len(ok) and ok[i + j]:
                    j += 1
                i += j + 1
                runs[k][0] += j + 1
                runs[k][1] += 1
    print(f"{used}/{len(problems)} problems where the LLM writes the reference trace; {total} positions")
    print(f"SLM greedy = LLM greedy at {agree / total:.1%} of positions (first position of each trace included)")
    for k in drafts:
        print(f"draft {k}: {runs[k][0] / runs[k][1]:.2f} tokens per LLM pass")


if __name__ == "__main__":
    main()
