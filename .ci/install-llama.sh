#!/usr/bin/env bash
# Builds llama.cpp's own programs (llama-server, llama-speculative) from the source that ships inside
# node-llama-cpp (node_modules/node-llama-cpp/llama/gitRelease.bundle) — the peers the benchmark
# measures and the server the remote-LLM tests start. Nothing is downloaded: the bundle is a git
# bundle, the compiler and cmake are Debian's.
#
#   $RSTITCH_LLAMA_DIR/<tag>/bin/llama-server …   (default /opt/rstitch-llama)
#   $RSTITCH_LLAMA_DIR/env.json                    {"tag", "server", "speculative"}
#
# Idempotent: a finished build of the same tag is kept (about 9 minutes on 2 cores otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."

DIR="${RSTITCH_LLAMA_DIR:-/opt/rstitch-llama}"
BUNDLE=node_modules/node-llama-cpp/llama/gitRelease.bundle
INFO=node_modules/node-llama-cpp/llama/llama.cpp.info.json
log() { printf '[install-llama %s] %s\n' "$(date +%T)" "$*"; }

[[ -f "$BUNDLE" && -f "$INFO" ]] || { echo "node-llama-cpp is not installed: run npm run setup first" >&2; exit 1; }
TAG=$(node -p "require('./$INFO').tag")
OUT="$DIR/$TAG"
TARGETS=(llama-server llama-speculative)

done_marker="$OUT/.built"
if [[ -f "$done_marker" ]] && for t in "${TARGETS[@]}"; do [[ -x "$OUT/bin/$t" ]] || exit 1; done; then
    log "llama.cpp $TAG present in $OUT"
else
    for tool in cmake g++ git; do
        command -v "$tool" >/dev/null || missing="${missing:-} $tool"
    done
    if [[ -n "${missing:-}" ]]; then
        log "apt install cmake g++ git"
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -q
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends cmake g++ git
    fi
    src="$DIR/src-$TAG"
    rm -rf "$src" "$OUT"
    mkdir -p "$DIR"
    log "llama.cpp $TAG: source from the bundle inside node-llama-cpp"
    git -c advice.detachedHead=false clone -q "$BUNDLE" "$src"
    (cd "$src" && git -c advice.detachedHead=false checkout -q "$TAG" 2>/dev/null || true)
    log "building ${TARGETS[*]} (several minutes on 2 cores)"
    cmake -S "$src" -B "$src/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF \
        -DLLAMA_BUILD_EXAMPLES=ON -DLLAMA_BUILD_SERVER=ON -DBUILD_SHARED_LIBS=OFF >/dev/null
    cmake --build "$src/build" -j "$(nproc)" --target "${TARGETS[@]}" 2>&1 | grep -E '^\[ *[0-9]+%\] Built target|error' || true
    mkdir -p "$OUT/bin"
    for t in "${TARGETS[@]}"; do
        [[ -x "$src/build/bin/$t" ]] || { echo "llama.cpp build did not produce $t" >&2; exit 1; }
    done
    cp -a "$src/build/bin/." "$OUT/bin/"   # static build: the programs stand alone
    rm -rf "$src"
    touch "$done_marker"
fi
"$OUT/bin/llama-server" --version >/dev/null 2>&1 || { echo "llama-server in $OUT does not run" >&2; exit 1; }
cat >"$DIR/env.json" <<JSON
{ "tag": "$TAG", "server": "$OUT/bin/llama-server", "speculative": "$OUT/bin/llama-speculative" }
JSON
log "ready: $DIR/env.json"
