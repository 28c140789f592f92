"""Trains one llama-style model of the demo pair on the arithmetic task and saves it for export.

Architecture matches llama.cpp's "llama" graph: RMSNorm, rotary embeddings on interleaved pairs
(x[2i], x[2i+1]) (rope type NORM), SwiGLU FFN, no biases, untied output. Loss only on the
assistant's tokens (solution + <|im_end|>).

  OPENBLAS_CORETYPE=SkylakeX python3 tools/train.py --name demo-llm --embd 192 --layers 8 --heads 6 --ffn 512 --steps 1200

Writes tools/out/<name>.json (manifest: shape, tensors with GGUF names, PyTorch shapes and byte offsets,
reference log-softmax values) and tools/out/<name>.bin (little-endian float32, row-major), every
--save-every steps and at the end, so a partial run is usable.
"""
import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tasks  # noqa: E402

BOS, EOS, IM_START, IM_END = 256, 257, 258, 259
VOCAB = 260
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")


def prompt_tokens(prompt):
    """Exactly what node-llama-cpp's ChatML wrapper renders for one user turn with no system prompt:
    <|bos|><|im_start|>user\\n{prompt}<|im_end|>\\n<|im_start|>assistant\\n"""
    return [BOS, IM_START] + list(b"user\n") + list(prompt.encode()) + [IM_END, 10, IM_START] + list(b"assistant\n")


def example_tokens(p):
    x = prompt_tokens(p["prompt"])
    y = list(p["solution"].encode()) + [IM_END]
    return x + y, len(x)


conversation_tokens = tasks.conversation_tokens


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rope(x, cos, sin):
    """x: (B, H, T, D); rotates interleaved pairs (x[2i], x[2i+1]) like llama.cpp's NORM rope."""
    x0, x1 = x[..., 0::2], x[..., 1::2]
    r0 = x0 * cos - x1 * sin
    r1 = x0 * sin + x1 * cos
    return torch.stack((r0, r1), dim=-1).flatten(-2)


class Block(nn.Module):
    def __init__(self, embd, heads, ffn):
        super().__init__()
        self.heads = heads
        self.attn_norm = RMSNorm(embd)
        self.q = nn.Linear(embd, embd, bias=False)
        self.k = nn.Linear(embd, embd, bias=False)
        self.v = nn.Linear(embd, embd, bias=False)
        self.o = nn.Linear(embd, embd, bias=False)
        self.ffn_norm = RMSNorm(embd)
        self.gate = nn.Linear(embd, ffn, bias=False)
        self.up = nn.Linear(embd, ffn, bias=False)
        self.down = nn.Linear(ffn, embd, bias=False)

    def forward(self, x, cos, sin, mask):
        B, T, C = x.shape
        h = self.attn_norm(x)
        hd = C // self.heads
        q = self.q(h).view(B, T, self.heads, hd).transpose(1, 2)
        k = self.k(h).view(B, T, self.heads, hd).transpose(1, 2)
        v = self.v(h).view(B, T, self.heads, hd).transpose(1, 2)
        q, k = rope(q, cos, sin), rope(k, cos, sin)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))
        att = att.masked_fill(mask, float("-inf")).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(B, T, C)
        x = x + self.o(y)
        h = self.ffn_norm(x)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


class Llama(nn.Module):
    def __init__(self, embd, layers, heads, ffn, ctx):
        super().__init__()
        self.cfg = dict(embd=embd, layers=layers, heads=heads, headsKv=heads, ffn=ffn, contextLength=ctx, vocab=VOCAB)
        self.emb = nn.Embedding(VOCAB, embd)
        self.blocks = nn.ModuleList([Block(embd, heads, ffn) for _ in range(layers)])
        self.norm = RMSNorm(embd)
        self.out = nn.Linear(embd, VOCAB, bias=False)
        hd = embd // heads
        inv = 10000.0 ** (-torch.arange(0, hd, 2).float() / hd)
        ang = torch.arange(ctx).float()[:, None] * inv[None, :]
        self.register_buffer("cos", ang.cos(), persistent=False)
        self.register_buffer("sin", ang.sin(), persistent=False)
        self.register_buffer("mask", torch.ones(ctx, ctx).triu(1).bool(), persistent=False)
        for n, p in self.named_parameters():
            if p.dim() == 2:
                nn.init.normal_(p, std=0.02)
            if n.endswith("o.weight") or n.endswith("down.weight"):
                nn.init.normal_(p, std=0.02 / math.sqrt(2 * layers))

    def forward(self, idx, seg=None):
        T = idx.shape[1]
        x = self.emb(idx)
        cos, sin = self.cos[:T], self.sin[:T]
        mask = self.mask[:T, :T]
        if seg is not None:
            mask = mask | (seg[:, None, :, None] != seg[:, None, None, :])
        for b in self.blocks:
            x = b(x, cos, sin, mask)
        return self.out(self.norm(x))

    def gguf_tensors(self):
        t = [("token_embd.weight", self.emb.weight), ("output_norm.weight", self.norm.weight), ("output.weight", self.out.weight)]
        for i, b in enumerate(self.blocks):
            p = f"blk.{i}."
            t += [(p + "attn_norm.weight", b.attn_norm.weight), (p + "attn_q.weight", b.q.weight),
                  (p + "attn_k.weight", b.k.weight), (p + "attn_v.weight", b.v.weight),
                  (p + "attn_output.weight", b.o.weight), (p + "ffn_norm.weight", b.ffn_norm.weight),
                  (p + "ffn_gate.weight", b.gate.weight), (p + "ffn_up.weight", b.up.weight),
                  (p + "ffn_down.weight", b.down.weight)]
        return t


REFERENCE_PROMPTS = ["What is 47 * 36?", "What is 2542 + 696?", "What is 3028 - 90?"]


def save(model, name, info):
    """Manifest + raw float32 weights; reference log-softmax of the trainer for a few prompts (the
    prompt and the first part of the reference solution, every position)."""
    os.makedirs(OUT_DIR, exist_ok=True)
    tensors, blobs, off = [], [], 0
    for n, p in model.gguf_tensors():
        a = p.detach().float().cpu().contiguous().numpy().astype("<f4")
        tensors.append({"name": n, "shape": list(a.shape), "offset": off})
        blobs.append(a.tobytes())
        off += a.nbytes
    refs = []
    model.eval()
    with torch.no_grad():
        for pr in REFERENCE_PROMPTS:
            op, a, b = pr[8:-1].split(" ")[1], *(int(v) for v in pr[8:-1].split(" ")[::2])
            toks, _ = example_tokens(tasks.render(op, a, b))
            lp = model(torch.tensor([toks], device=model.cos.device))[0].log_softmax(-1).cpu()
            refs.append({"prompt": pr, "tokens": toks, "logSoftmax": [[round(float(v), 6) for v in row] for row in lp]})
    model.train()
    tmp = os.path.join(OUT_DIR, name + ".bin.tmp")
    with open(tmp, "wb") as f:
        for b in blobs:
            f.write(b)
    os.replace(tmp, os.path.join(OUT_DIR, name + ".bin"))
    manifest = {"name": name, "shape": model.cfg, "tensors": tensors, "references": refs, "training": info}
    with open(os.path.join(OUT_DIR, name + ".json.tmp"), "w") as f:
        json.dump(manifest, f)
    os.replace(os.path.join(OUT_DIR, name + ".json.tmp"), os.path.join(OUT_DIR, name + ".json"))


def load(model, manifest_path):
    """Loads weights written by save() (the same GGUF-named tensors) into a model of the same shape."""
    with open(manifest_path) as f:
        manifest = json.load(f)
    with open(manifest_path[: -len(".json")] + ".bin", "rb") as f:
        blob = f.read()
    params = dict(model.gguf_tensors())
    with torch.no_grad():
        for t in manifest["tensors"]:
            n = int(np.prod(t["shape"]))
            a = np.frombuffer(blob, dtype="<f4", count=n, offset=t["offset"]).reshape(t["shape"])
            params[t["name"]].copy_(torch.from_numpy(a.copy()))


GGUF_VALUE_SIZES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}


def read_gguf(path):
    """(integer metadata, tensors) of a GGUF v3 file; F32/F16 tensors as numpy arrays in PyTorch's
    (out, in) layout: GGUF lists dimensions innermost first, so the array is shaped by the dimensions
    reversed."""
    import struct
    with open(path, "rb") as f:
        data = f.read()
    off = 0

    def take(fmt):
        nonlocal off
        v = struct.unpack_from("<" + fmt, data, off)
        off += struct.calcsize("<" + fmt)
        return v[0] if len(v) == 1 else v

    def string():
        nonlocal off
        n = take("Q")
        off += n
        return data[off - n:off].decode()

    def skip_value(t):
        nonlocal off
        if t == 8:
            string()
        elif t == 9:
            et, n = take("I"), take("Q")
            for _ in range(n):
                skip_value(et)
        else:
            off += GGUF_VALUE_SIZES[t]

    magic, version, n_tensors, n_kv = take("4s"), take("I"), take("Q"), take("Q")
    if magic != b"GGUF" or version != 3:
        raise SystemExit(f"{path}: not a GGUF v3 file")
    meta = {}
    for _ in range(n_kv):
        key, t = string(), take("I")
        if t in (4, 5):
            meta[key] = take("I" if t == 4 else "i")
        else:
            skip_value(t)
    alignment = meta.get("general.alignment", 32)
    infos = []
    for _ in range(n_tensors):
        name, nd = string(), take("I")
        dims = [take("Q") for _ in range(nd)]
        infos.append((name, dims, take("I"), take("Q")))
    base = (off + alignment - 1) // alignment * alignment
    out = {}
    for name, dims, ttype, toff in infos:
        if ttype not in (0, 1):
            raise SystemExit(f"{path}: tensor {name} is neither F32 nor F16")
        dt = "<f4" if ttype == 0 else "<f2"
        a = np.frombuffer(data, dtype=dt, count=int(np.prod(dims)), offset=base + toff)
        out[name] = a.astype(np.float32).reshape(list(reversed(dims)))
    return meta, out


def load_gguf(model, path):
    """Starts a model from a GGUF written by tools/export-gguf.ts (same shape), e.g. a shipped model."""
    _, tensors = read_gguf(path)
    params = dict(model.gguf_tensors())
    if set(tensors) != set(params):
        raise SystemExit(f"{path}: tensors differ from this shape's ({sorted(set(tensors) ^ set(params))[:4]} ...)")
    with torch.no_grad():
        for n, p in params.items():
            if tuple(tensors[n].shape) != tuple(p.shape):
                raise SystemExit(f"{path}: {n} is {tensors[n].shape}, this shape needs {tuple(p.shape)}")
            p.copy_(torch.from_numpy(tensors[n].copy()))


def masked(t, start):
    """A loss mask that counts tokens from index start on."""
    return t, [j >= start for j in range(len(t))]


def training_examples(seed, short_fraction, prefers, opening_tokens, exclude_splits=False, turn_weights=None):
    """(tokens, loss mask) for each training example. With short_fraction > 0 some problems are
    written in the short style; the model learns to open its answer only in the style it prefers (the
    other style's first opening_tokens are left out of the loss), yet learns to continue either style
    once it has begun. With turn_weights (shares of 1, 2, 3 turns) each example is a conversation:
    a question and follow-ups on its answer (tasks.conversation_stream)."""
    if turn_weights:
        for conv in tasks.conversation_stream(seed, turn_weights, exclude_splits, tasks.follow_up_keys()):
            yield conversation_tokens(conv)
        return
    if short_fraction <= 0:
        for p in tasks.train_stream(seed, exclude_splits):
            yield masked(*example_tokens(p))
        return
    for p, style in tasks.styled_stream(seed, short_fraction, seed + 1000, exclude_splits):
        t, n = example_tokens(p)
        yield masked(t, n + (0 if style == prefers else opening_tokens))


def batches(seed, rows, row_len, examples=None):
    """Packs whole examples into rows of row_len tokens. Attention stays within an example (a
    block-diagonal causal mask); rotary attention depends only on relative positions, so an example's
    offset inside a row does not change what it computes."""
    stream = examples if examples is not None else training_examples(seed, 0, "long", 0)
    pending = None
    while True:
        x = torch.zeros(rows, row_len, dtype=torch.long)
        y = torch.full((rows, row_len), -100, dtype=torch.long)
        seg = torch.full((rows, row_len), -1, dtype=torch.long)
        ntok = nsol = nex = 0
        for r in range(rows):
            pos, k = 0, 0
            while True:
                if pending is None:
                    pending = next(stream)
                t, mask = pending
                if len(t) > row_len:
                    raise SystemExit(f"an example of {len(t)} tokens does not fit a row of {row_len}: raise --row-len")
                if pos + len(t) > row_len:
                    break
                tt = torch.tensor(t)
                x[r, pos : pos + len(t)] = tt
                # Predict token j at position j-1; only the assistant's tokens (the mask) count.
                j = torch.nonzero(torch.tensor(mask)).flatten()
                y[r, pos + j - 1] = tt[j]
                seg[r, pos : pos + len(t)] = k
                pos, k = pos + len(t), k + 1
                ntok, nsol = ntok + len(t), nsol + len(j)
                pending = None
                nex += 1
        yield x, y, seg, ntok, nsol, nex


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--embd", type=int, required=True)
    ap.add_argument("--layers", type=int, required=True)
    ap.add_argument("--heads", type=int, required=True)
    ap.add_argument("--ffn", type=int, required=True)
    ap.add_argument("--ctx", type=int, default=512)
    ap.add_argument("--steps", type=int, required=True)
    ap.add_argument("--rows", type=int, default=16)
    ap.add_argument("--row-len", type=int, default=256)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--save-every", type=int, default=250)
    ap.add_argument("--device", default="cpu", help="torch device: cpu (default) or cuda when a GPU is lent")
    ap.add_argument("--max-seconds", type=float, help="end (and save) once this much wall time has passed")
    ap.add_argument("--exclude-splits", action="store_true",
                    help="skip data/tune.jsonl and data/test.jsonl problems too (needed for runs longer than the demo pair's)")
    ap.add_argument("--init", help="start from the weights of a saved manifest (tools/out/<name>.json) of the same shape")
    ap.add_argument("--stop-at", type=int, help="end (and save) after this step, with the LR schedule still that of --steps "
                    "(reproduces a run that was cut short)")
    ap.add_argument("--init-gguf", help="start from the weights of a GGUF of the same shape (e.g. models/demo-llm.gguf)")
    ap.add_argument("--short-fraction", type=float, default=0.0,
                    help="fraction of training problems written in the short solution style (tasks.solve_short)")
    ap.add_argument("--prefers", choices=["long", "short"], default="long",
                    help="the style the model learns to open its answers with; it still learns to continue the other")
    ap.add_argument("--conversations", help="shares of 1-, 2- and 3-turn conversations, e.g. 0.4,0.3,0.3: questions "
                    "with follow-ups on the previous answer (\"Now add 100 to that\"); needs --row-len 512")
    ap.add_argument("--opening-tokens", type=int, default=1,
                    help="first solution tokens of the non-preferred style left out of the loss (the short style's `~` mark)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)
    model = Llama(args.embd, args.layers, args.heads, args.ffn, args.ctx)
    if args.init:
        load(model, args.init)
    if args.init_gguf:
        load_gguf(model, args.init_gguf)
    nparams = sum(p.numel() for p in model.parameters())
    print(f"{args.name}: {nparams} parameters, {vars(args)}", flush=True)
    decay = [p for p in model.parameters() if p.dim() == 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.98))
    t0 = time.time()
    seen = trained = problems = 0
    model.to(args.device)
    if args.device.startswith("cuda"):
        torch.backends.cuda.matmul.allow_tf32 = True
    turn_weights = [float(v) for v in args.conversations.split(",")] if args.conversations else None
    examples = training_examples(args.seed + 1000, args.short_fraction, args.prefers, args.opening_tokens, args.exclude_splits, turn_weights)
    data = batches(args.seed + 1000, args.rows, args.row_len, examples)
    ema = None
    last = min(args.steps, args.stop_at or args.steps)
    for step in range(1, last + 1):
        lr = args.lr * min(1.0, step / args.warmup) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * step / args.steps)))
        for g in opt.param_groups:
            g["lr"] = lr
        x, y, seg, ntok, nsol, nex = next(data)
        x, y, seg = x.to(args.device, non_blocking=True), y.to(args.device, non_blocking=True), seg.to(args.device, non_blocking=True)
        problems += nex
        seen += ntok
        trained += nsol
        loss = F.cross_entropy(model(x, seg).view(-1, VOCAB), y.view(-1), ignore_index=-100)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        ema = loss.item() if ema is None else 0.98 * ema + 0.02 * loss.item()
        if step % 25 == 0 or step == 1:
            el = time.time() - t0
            print(f"step {step}/{args.steps} loss {loss.item():.4f} ema {ema:.4f} lr {lr:.2e} "
                  f"tokens {seen} ({seen / el:.0f}/s) elapsed {el:.0f}s", flush=True)
        out_of_time = args.max_seconds is not None and time.time() - t0 > args.max_seconds
        if step % args.save_every == 0 or step == last or out_of_time:
            info = {"step": step, "steps": args.steps, "parameters": nparams, "tokens": seen, "assistantTokens": trained,
                    "problems": problems,
                    "seconds": round(time.time() - t0), "lossEma": round(ema, 5), "args": vars(args),
                    "torch": torch.__version__}
            save(model, args.name, info)
            print(f"saved {args.name} at step {step}", flush=True)
        if out_of_time:
            print(f"{args.name}: stopped at step {step} after {time.time() - t0:.0f} s (--max-seconds)", flush=True)
            break


if __name__ == "__main__":
    main()
