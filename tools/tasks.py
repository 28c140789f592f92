"""Seeded generator of step-by-step arithmetic problems for the demo SLM/LLM pair.

Every solution works digit by digit from the right. Each step line shows one column's sum, difference
or product and then the result built so far, so the final `Answer: N` is a copy of the last result.

  python3 tools/tasks.py            # writes data/heldout.jsonl (600 problems, seed 1234)
  python3 tools/tasks.py --splits   # writes data/tune.jsonl and data/test.jsonl (new, disjoint problems)
  python3 tools/tasks.py --check    # proves tune/test share nothing with heldout or the training stream
  python3 tools/tasks.py --show 5   # prints a few training problems
  python3 tools/tasks.py --show 5 --short   # the same in the paper pair's short style
  python3 tools/tasks.py --follow-ups       # writes data/followups.jsonl (conversations on test problems)
  python3 tools/tasks.py --show 3 --conversations   # training conversations with follow-ups
"""
import argparse
import json
import os
import random

HELDOUT_SEED = 1234
HELDOUT_SIZE = 600
HERE = os.path.dirname(os.path.abspath(__file__))
HELDOUT_PATH = os.path.join(HERE, "..", "data", "heldout.jsonl")


def digits_rev(n, width):
    """Digits of n from the units up, padded with zeros to width."""
    s = str(n)[::-1]
    return [int(c) for c in s.ljust(width, "0")]


def add_lines(a, b):
    """Column addition of a + b, one line per column: `d+e(+1)=s acc`."""
    width = max(len(str(a)), len(str(b)))
    da, db = digits_rev(a, width), digits_rev(b, width)
    lines, acc, carry = [], "", 0
    for i in range(width):
        s = da[i] + db[i] + carry
        expr = f"{da[i]}+{db[i]}" + ("+1" if carry else "")
        acc = (str(s) if i == width - 1 else str(s % 10)) + acc
        lines.append(f"{expr}={s} {acc}")
        carry = s // 10
    return lines, int(acc)


def sub_lines(a, b):
    """Column subtraction of a - b (a >= b); a borrow shows as `1d` on top and `-1` in the next column."""
    width = len(str(a))
    da, db = digits_rev(a, width), digits_rev(b, width)
    lines, acc, borrow = [], "", 0
    for i in range(width):
        top = da[i]
        expr_tail = f"-{db[i]}" + ("-1" if borrow else "")
        need = top - db[i] - borrow < 0
        top_s = f"1{top}" if need else str(top)
        r = (10 if need else 0) + top - db[i] - borrow
        acc = str(r) + acc
        lines.append(f"{top_s}{expr_tail}={r} {acc}")
        borrow = 1 if need else 0
    return lines, int(acc)


def mul_digit_lines(a, d):
    """a * d for one digit d, digit by digit: `d*x(+c)=p acc`."""
    da = digits_rev(a, len(str(a)))
    lines, acc, carry = [], "", 0
    for i, x in enumerate(da):
        p = d * x + carry
        expr = f"{d}*{x}" + (f"+{carry}" if carry else "")
        acc = (str(p) if i == len(da) - 1 else str(p % 10)) + acc
        lines.append(f"{expr}={p} {acc}")
        carry = p // 10
    return lines, int(acc)


def solve(op, a, b):
    if op == "+":
        lines, r = add_lines(a, b)
    elif op == "-":
        lines, r = sub_lines(a, b)
    else:
        bd = digits_rev(b, len(str(b)))
        lines, partials = [], []
        for j, d in enumerate(bd):
            pl, p = mul_digit_lines(a, d)
            lines += pl
            partials.append(p * 10 ** j)
        if len(partials) == 1:
            r = partials[0]
        else:
            x, y = partials
            lines.append(f"{x}+{y}:")
            al, r = add_lines(x, y)
            lines += al
    assert r == {"+": a + b, "-": a - b, "*": a * b}[op], (op, a, b, r)
    return "\n".join(lines + [f"Answer: {r}"]), r


SHORT_MARK = "~"


def add_short(a, b):
    """Short-style column addition: each line is the column's sum (its tens digit is the carry), then
    the result built so far; the `d+e` expression is done in the head."""
    return [line.split("=", 1)[1] for line in add_lines(a, b)[0]]


def solve_short(op, a, b):
    """The short solution style of the paper-regime pair: the same column-by-column work and the same
    `Answer: N` line, without writing out each column's expression. A subtraction column that
    borrowed is marked `b` so the next column can take the borrow off. The solution opens with `~`."""
    if op == "+":
        lines, r = add_short(a, b), a + b
    elif op == "-":
        lines = []
        for line in sub_lines(a, b)[0]:
            expr, rest = line.split("=", 1)
            lines.append(rest.replace(" ", "b ", 1) if expr.startswith("1") and len(expr.split("-")[0]) == 2 else rest)
        r = a - b
    else:
        bd = digits_rev(b, len(str(b)))
        lines, partials = [], []
        for j, d in enumerate(bd):
            pl, p = mul_digit_lines(a, d)
            lines += [line.split("=", 1)[1] for line in pl]
            partials.append(p * 10 ** j)
        r = partials[0]
        if len(partials) == 2:
            x, y = partials
            lines.append(f"{x}+{y}:")
            lines += add_short(x, y)
            r = x + y
    assert r == {"+": a + b, "-": a - b, "*": a * b}[op], (op, a, b, r)
    assert lines[-1].split(" ")[-1].lstrip("0") == str(r).lstrip("0") or r == 0, (op, a, b, lines)
    # One opening mark says which style follows, so a model commits to its style on a token it is
    # sure of rather than on the first column's sum.
    return SHORT_MARK + "\n".join(lines + [f"Answer: {r}"]), r


def render_short(op, a, b):
    solution, r = solve_short(op, a, b)
    return {"prompt": f"What is {a} {op} {b}?", "answer": str(r), "solution": solution}


def parse_prompt(prompt):
    """(op, a, b) back from `What is A op B?`."""
    a, op, b = prompt[len("What is "):-1].split(" ")
    return op, int(a), int(b)


def styled_stream(seed, short_fraction, style_seed, exclude_splits=False):
    """The training stream of train_stream(seed) (same problems, same exclusions), each problem written
    in the short style with probability short_fraction. Yields (example, style)."""
    rng = random.Random(style_seed)
    for p in train_stream(seed, exclude_splits):
        if rng.random() < short_fraction:
            yield render_short(*parse_prompt(p["prompt"])), "short"
        else:
            yield p, "long"



# Follow-ups on the previous result (a conversation's later turns): how the user asks, per operation.
# Multiplication follow-ups take one digit (2-9), the one-digit multiplication the pair knows.
FOLLOW_UP_PHRASES = {
    "+": ["Now add {c}", "Now add {c} to that"],
    "-": ["Now subtract {c}", "Now subtract {c} from that"],
    "*": ["And times {c}?", "Now times {c}"],
}


def solve_follow_up(op, prev, c):
    """A follow-up's solution: the problem written out from the previous answer (`1692+100:`, the
    form of a multiplication's partial-product line), then the same column work and `Answer: N`."""
    lines, r = (add_lines(prev, c) if op == "+" else sub_lines(prev, c) if op == "-" else mul_digit_lines(prev, c))
    assert r == {"+": prev + c, "-": prev - c, "*": prev * c}[op], (op, prev, c, r)
    return "\n".join([f"{prev}{op}{c}:"] + lines + [f"Answer: {r}"]), r


def sample_follow_up(rng, prev):
    """(op, c, phrase) for a follow-up on prev: add 40%, subtract 30% (c <= prev), times 30%."""
    u = rng.random()
    if u < 0.3 and prev >= 2:
        op, c = "-", rng.randint(1, prev) if prev < 10 else min(prev, ndigit(rng, 1, min(4, len(str(prev)))))
    elif u < 0.6:
        op, c = "*", rng.randint(2, 9)
    else:
        op, c = "+", ndigit(rng, 1, 4)
    return op, c, rng.choice(FOLLOW_UP_PHRASES[op]).format(c=c)


def conversation(rng, first, turns):
    """A conversation of `turns` turns on one problem `first` = (op, a, b): the question, then
    follow-ups on each previous answer. [(prompt, solution, answer, key)], key the computation (op, x, y)."""
    p = render(*first)
    out = [(p["prompt"], p["solution"], int(p["answer"]), first)]
    for _ in range(turns - 1):
        prev = out[-1][2]
        op, c, phrase = sample_follow_up(rng, prev)
        solution, r = solve_follow_up(op, prev, c)
        out.append((phrase, solution, r, (op, prev, c)))
    return out


def conversation_stream(seed, turn_weights, exclude_splits=False, exclude=frozenset()):
    """Endless training conversations: the first question from train_stream(seed) (never a held-out
    problem, nor tune/test with exclude_splits), then 0-2 follow-ups; turn_weights = shares of 1, 2
    and 3 turns. A follow-up whose computation (op, x, y) is in the excluded splits or `exclude`
    (the follow-up test set's) is drawn again."""
    banned = set(exclude) | set(heldout_keys()) | (split_keys() if exclude_splits else set())
    rng = random.Random(seed + 7)
    for p in train_stream(seed, exclude_splits):
        turns = rng.choices([1, 2, 3], weights=turn_weights)[0]
        first = parse_prompt(p["prompt"])
        while True:
            conv = conversation(rng, first, turns)
            if not any(t[3] in banned for t in conv[1:]):
                break
        yield [(t[0], t[1]) for t in conv]


BOS, IM_START, IM_END = 256, 258, 259  # the byte vocabulary's special tokens (tools/gguf/byte-vocab.ts)


def conversation_tokens(turns):
    """A conversation [(question, solution), ...] as the product renders it for the last turn's
    answer (src/stitch/prompt.ts through the GGUF's ChatML template): <|bos|>, then per turn
    `<|im_start|>user\\n{q}<|im_end|>\\n<|im_start|>assistant\\n{solution}<|im_end|>`, turns joined
    by `\\n`; an earlier answer stays whole (the demo pair writes no thinking). Returns (tokens, loss
    mask): True where a token is one the model writes (each turn's solution and its <|im_end|>).
    test/decoder/follow-up-tokens.test.ts checks this against the product's rendering."""
    toks, mask = [BOS], [False]
    for i, (q, sol) in enumerate(turns):
        x = ([10] if i else []) + [IM_START] + list(b"user\n") + list(q.encode()) + [IM_END, 10, IM_START] + list(b"assistant\n")
        y = list(sol.encode()) + [IM_END]
        toks += x + y
        mask += [False] * len(x) + [True] * len(y)
    return toks, mask


FOLLOW_UP_SEED, FOLLOW_UP_SIZE = 2468, 200
FOLLOW_UP_PATH = os.path.join(HERE, "..", "data", "followups.jsonl")


def write_follow_ups(path=FOLLOW_UP_PATH):
    """The follow-up test set: the first FOLLOW_UP_SIZE problems of data/test.jsonl (never trained
    on), each followed by two follow-ups drawn with FOLLOW_UP_SEED. One JSON object a line:
    {questions: [...], answers: [...]}, answers[i] the right answer to turn i when every earlier turn
    was right."""
    with open(SPLIT_PATHS["test"]) as f:
        firsts = [key_of(json.loads(line)) for line, _ in zip(f, range(FOLLOW_UP_SIZE))]
    rng = random.Random(FOLLOW_UP_SEED)
    with open(path, "w") as f:
        for k in firsts:
            conv = conversation(rng, k, 3)
            f.write(json.dumps({"questions": [t[0] for t in conv], "answers": [str(t[2]) for t in conv],
                                "computations": [list(t[3]) for t in conv]}) + "\n")
    print("wrote", os.path.normpath(path), len(firsts))


def follow_up_keys(path=FOLLOW_UP_PATH):
    """Every follow-up computation (op, x, y) of the follow-up test set."""
    if not os.path.exists(path):
        return set()
    with open(path) as f:
        return {tuple(c) for line in f if line.strip() for c in json.loads(line)["computations"][1:]}

def ndigit(rng, lo, hi):
    n = rng.randint(lo, hi)
    return rng.randint(10 ** (n - 1), 10 ** n - 1)


def sample(rng):
    """One problem from the difficulty mix: 30% addition, 30% subtraction, 40% multiplication."""
    u = rng.random()
    if u < 0.3:
        op, a, b = "+", ndigit(rng, 2, 4), ndigit(rng, 2, 4)
    elif u < 0.6:
        a, b = ndigit(rng, 2, 4), ndigit(rng, 2, 4)
        op, a, b = "-", max(a, b), min(a, b)
    elif u < 0.8:
        op, a, b = "*", ndigit(rng, 2, 3), rng.randint(2, 9)
    else:
        op, a, b = "*", ndigit(rng, 2, 2), ndigit(rng, 2, 2)
    return op, a, b


def render(op, a, b):
    solution, r = solve(op, a, b)
    return {"prompt": f"What is {a} {op} {b}?", "answer": str(r), "solution": solution}


def heldout_keys():
    rng = random.Random(HELDOUT_SEED)
    keys, out = set(), []
    while len(out) < HELDOUT_SIZE:
        k = sample(rng)
        if k in keys:
            continue
        keys.add(k)
        out.append(k)
    return out


def split_keys():
    """Every problem of data/tune.jsonl and data/test.jsonl (the benchmark's splits)."""
    keys = set()
    for path in SPLIT_PATHS.values():
        with open(path) as f:
            keys |= {key_of(json.loads(line)) for line in f if line.strip()}
    return keys


def train_stream(seed, exclude_splits=False):
    """Endless training problems, never one of the held-out ones. exclude_splits: nor one of the
    benchmark's tune and test splits (a long run, such as the paper pair's, reaches far enough into
    the stream to meet them)."""
    exclude = set(heldout_keys()) | (split_keys() if exclude_splits else set())
    rng = random.Random(seed)
    while True:
        k = sample(rng)
        if k not in exclude:
            yield render(*k)


# The training stream as tools/train.py consumes it: seed --seed + 1000 (1 in tools/retrain.sh), whole
# examples packed into rows of ROW_LEN tokens, ROWS rows a step, for at most TRAIN_STEPS steps (the demo
# LLM's 1200; the SLM reads a prefix of the same stream). Margin: twice that.
TRAIN_SEED = 1001
TRAIN_ROWS, TRAIN_ROW_LEN, TRAIN_STEPS = 16, 256, 2 * 1200
TUNE_SEED, TUNE_SIZE = 4321, 300
TEST_SEED, TEST_SIZE = 8765, 1000
SPLIT_PATHS = {name: os.path.join(HERE, "..", "data", f"{name}.jsonl") for name in ("tune", "test")}


def example_length(p):
    """Tokens of one training example, as train.example_tokens builds it (byte-level ChatML)."""
    prompt = 2 + len(b"user\n") + len(p["prompt"].encode()) + 2 + 1 + len(b"assistant\n")
    return prompt + len(p["solution"].encode()) + 1


def training_keys(seed=TRAIN_SEED, steps=TRAIN_STEPS, rows=TRAIN_ROWS, row_len=TRAIN_ROW_LEN):
    """Every problem the packer of train.py takes from the stream in `steps` steps (a superset of what
    any run with fewer steps saw)."""
    exclude = set(heldout_keys())
    rng = random.Random(seed)
    keys, pending = set(), None
    for _ in range(steps * rows):
        pos = 0
        while True:
            if pending is None:
                while True:
                    k = sample(rng)
                    if k not in exclude:
                        break
                pending = (k, example_length(render(*k)))
            if pos + pending[1] > row_len:
                break
            keys.add(pending[0])
            pos += pending[1]
            pending = None
    if pending:
        keys.add(pending[0])
    return keys


def category(k):
    op, a, b = k
    return "*1" if op == "*" and b < 10 else "*2" if op == "*" else op


def new_split(seed, size, exclude):
    """`size` problems never in `exclude`, keeping the mix of operations: a draw already seen is
    redrawn within its own category, so rare unseen multiplications are not crowded out."""
    rng = random.Random(seed)
    out, taken = [], set()
    while len(out) < size:
        k = sample(rng)
        cat = category(k)
        while k in exclude or k in taken or category(k) != cat:
            k = sample(rng)
        taken.add(k)
        out.append(k)
    return out


def write_splits():
    exclude = set(heldout_keys()) | training_keys()
    tune = new_split(TUNE_SEED, TUNE_SIZE, exclude)
    test = new_split(TEST_SEED, TEST_SIZE, exclude | set(tune))
    for name, keys in (("tune", tune), ("test", test)):
        with open(SPLIT_PATHS[name], "w") as f:
            for k in keys:
                f.write(json.dumps(render(*k)) + "\n")
        print("wrote", os.path.normpath(SPLIT_PATHS[name]), len(keys))


def key_of(row):
    a, op, b = row["prompt"][len("What is "):-1].split(" ")
    return (op, int(a), int(b))


def check_splits():
    """Exit status 1 if tune or test shares a problem with each other, heldout or the training stream."""
    read = lambda path: [key_of(json.loads(line)) for line in open(path) if line.strip()]
    heldout, train = set(read(HELDOUT_PATH)), training_keys()
    tune, test = read(SPLIT_PATHS["tune"]), read(SPLIT_PATHS["test"])
    problems = {
        "tune∩test": set(tune) & set(test), "tune∩heldout": set(tune) & heldout, "test∩heldout": set(test) & heldout,
        "tune∩train": set(tune) & train, "test∩train": set(test) & train,
        "tune duplicates": len(tune) - len(set(tune)), "test duplicates": len(test) - len(set(test)),
    }
    print(json.dumps({"tune": len(tune), "test": len(test), "trainingProblems": len(train),
                      **{k: (len(v) if isinstance(v, set) else v) for k, v in problems.items()}}))
    return 0 if all(not v for v in problems.values()) else 1


def write_heldout(path=HELDOUT_PATH):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        for k in heldout_keys():
            f.write(json.dumps(render(*k)) + "\n")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--splits", action="store_true")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--short", action="store_true", help="with --show: the short solution style")
    ap.add_argument("--follow-ups", action="store_true", help="writes data/followups.jsonl (conversations on test problems)")
    ap.add_argument("--conversations", action="store_true", help="with --show: training conversations of 1-3 turns")
    ap.add_argument("--tokens", type=int, default=0, help="prints N training conversations as JSON lines {turns, tokens, mask}")
    args = ap.parse_args()
    if args.splits:
        write_splits()
    elif args.follow_ups:
        write_follow_ups()
    elif args.tokens:
        for _, conv in zip(range(args.tokens), conversation_stream(7, [1, 1, 1])):
            t, m = conversation_tokens(conv)
            print(json.dumps({"turns": conv, "tokens": t, "mask": m}))
    elif args.show and args.conversations:
        for _, conv in zip(range(args.show), conversation_stream(7, [1, 1, 1])):
            for q, sol in conv:
                print(">", q); print(sol)
            print("---")
    elif args.check:
        raise SystemExit(check_splits())
    elif args.show:
        for _, p in zip(range(args.show), train_stream(7)):
            if args.short:
                p = render_short(*parse_prompt(p["prompt"]))
            print(p["prompt"]); print(p["solution"]); print("---")
    else:
        write_heldout()
        print("wrote", os.path.normpath(HELDOUT_PATH))
