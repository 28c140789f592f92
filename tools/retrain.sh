#!/usr/bin/env bash
# Regenerates the embedded demo pair (models/demo-slm.gguf, models/demo-llm.gguf) from scratch with
# fixed seeds: installs Debian's PyTorch, writes the held-out split, trains both models, exports them
# to GGUF, checks the export against the trainer and measures greedy accuracy through node-llama-cpp.
# Run from anywhere: bash tools/retrain.sh   (root or sudo for apt; npm dependencies installed)
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
# Debian's torch lives in the system interpreter, not in a pyenv/venv python3 that may shadow it.
PY=/usr/bin/python3
"$PY" -c 'import torch, numpy' 2>/dev/null || {
    $SUDO apt-get update
    $SUDO apt-get install -y python3-torch python3-numpy libopenblas0-pthread
}

mkdir -p tools/out models
"$PY" tools/tasks.py

# OpenBLAS misdetects some CPUs and falls back to slow kernels; passive OpenMP waits keep a shared
# machine usable. Both only for the training commands.
train() { OPENBLAS_CORETYPE=SkylakeX OMP_WAIT_POLICY=PASSIVE "$PY" tools/train.py "$@"; }
train --name demo-llm --embd 192 --layers 8 --heads 6 --ffn 512 --steps 1200 --lr 2e-3 --threads 2 2>&1 | tee tools/out/demo-llm.log
train --name demo-slm --embd 96 --layers 2 --heads 4 --ffn 384 --steps 800 --lr 3e-3 --threads 1 2>&1 | tee tools/out/demo-slm.log

node --import tsx tools/export-gguf.ts tools/out/demo-llm.json models/demo-llm.gguf
node --import tsx tools/export-gguf.ts tools/out/demo-slm.json models/demo-slm.gguf
for m in slm llm; do
    node --import tsx tools/quick-accuracy.ts models/demo-$m.gguf --n 600 --threads 1
done
node --import tsx tools/decode-cost.ts models/demo-slm.gguf models/demo-llm.gguf --threads 1
