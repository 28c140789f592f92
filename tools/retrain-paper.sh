#!/usr/bin/env bash
# Regenerates the paper-regime pair (models/paper-slm.gguf, models/paper-llm.gguf) from scratch: the LLM
# learns both solution styles and opens in the long one; the SLM sees 80% short-style problems and opens
# in the short one, but both learn to continue either style. Neither ever sees a held-out, tune or test
# problem (--exclude-splits). models/MODEL_CARD.md has the figures of the shipped files.
#
#   bash tools/retrain-paper.sh            # on a CUDA GPU (the shipped pair: ~7 minutes on one H100)
#   DEVICE=cpu bash tools/retrain-paper.sh # the same runs on the CPU: correct but slow (days for the LLM's
#                                          # 106M tokens on 2 cores; the SLM's 14M tokens in hours)
# Run from anywhere, with PyTorch installed (python3-torch from Debian works on the CPU).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-python3}
DEVICE=${DEVICE:-cuda}
mkdir -p tools/out models
train() { OPENBLAS_CORETYPE=SkylakeX OMP_WAIT_POLICY=PASSIVE "$PY" tools/train.py --device "$DEVICE" --exclude-splits --rows 64 "$@"; }
# The shipped LLM is the state at step 7,812 of a 10,000-step schedule (the run had a 420 s wall-clock cap);
# --stop-at reproduces it with the same learning-rate curve.
train --name paper-llm --embd 192 --layers 8 --heads 6 --ffn 512 --steps 10000 --stop-at 7812 --lr 2e-3 --warmup 200 \
    --short-fraction 0.5 --prefers long --seed 3 --save-every 1000 > tools/out/paper-llm.log 2>&1 &
llm=$!
# The SLM stops early on purpose: at 1,000 steps it solves 27.5% of held-out problems alone (at 1,600
# steps 97%, when it no longer needs an LLM at all).
train --name paper-slm --embd 96 --layers 2 --heads 4 --ffn 384 --steps 1000 --lr 3e-3 --warmup 30 \
    --short-fraction 0.8 --prefers short --seed 4 --save-every 100000 2>&1 | tee tools/out/paper-slm.log
wait $llm
tail -n 3 tools/out/paper-llm.log

node --import tsx tools/export-gguf.ts tools/out/paper-llm.json models/paper-llm.gguf
node --import tsx tools/export-gguf.ts tools/out/paper-slm.json models/paper-slm.gguf
for m in slm llm; do
    node --import tsx tools/quick-accuracy.ts models/paper-$m.gguf --n 600 --threads 1
done
