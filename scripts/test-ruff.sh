#!/usr/bin/env bash
# A real ruff for the tests of Nightshift's ruff path, installed once into the user's cache folder.
# Debian 12 has no ruff package and PyPI is not one of this project's registries, so this takes
# Debian's own build (testing, else sid) and the glibc it is linked against (2.39 or later;
# Debian 12 has 2.36), unpacks both under the cache and writes a `ruff` wrapper that starts the
# binary with that glibc's loader — the host's libraries are left alone. Each package is checked
# against the SHA-256 its suite's index gives. A ruff already on PATH is used as it is.
# Prints the path of the ruff to run.
set -euo pipefail

if [ -n "${NIGHTSHIFT_RUFF:-}" ]; then echo "$NIGHTSHIFT_RUFF"; exit 0; fi
if found="$(command -v ruff 2>/dev/null)" && "$found" --version >/dev/null 2>&1; then echo "$found"; exit 0; fi

dir="${XDG_CACHE_HOME:-$HOME/.cache}/nightshift-test/ruff"
marker="$dir/.installed"
if [ -f "$marker" ] && "$dir/ruff" --version >/dev/null 2>&1; then echo "$dir/ruff"; exit 0; fi

log() { printf '[test-ruff] %s\n' "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }
mirror="${NIGHTSHIFT_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
arch="$(dpkg --print-architecture 2>/dev/null || echo amd64)"
case "$arch" in
  amd64) triple=x86_64-linux-gnu; loader=ld-linux-x86-64.so.2 ;;
  arm64) triple=aarch64-linux-gnu; loader=ld-linux-aarch64.so.1 ;;
  *) fail "no Debian ruff build is fetched for $arch" ;;
esac
for tool in curl xz dpkg-deb sha256sum; do command -v "$tool" >/dev/null 2>&1 || fail "$tool is needed to unpack Debian's ruff"; done

log "installing Debian's ruff and the glibc it needs into $dir (about 10 MB, once)"
rm -rf "$dir"
mkdir -p "$dir/debs"
index() { # the suite's package index, cached for this install
  local f="$dir/debs/Packages-$1"
  [ -f "$f" ] || curl -fsSL --max-time 120 "$mirror/dists/$1/main/binary-$arch/Packages.xz" | xz -dc >"$f" || { rm -f "$f"; return 1; }
  echo "$f"
}
fetch() { # package name, suites to try in order
  local name="$1"; shift
  for suite in "$@"; do
    local idx; idx="$(index "$suite")" || continue
    local entry; entry="$(awk -v p="$name" '$0 == "Package: " p {on=1} on && /^(Filename|SHA256):/ {print $2} /^$/ {if (on) exit}' "$idx")"
    [ -n "$entry" ] || continue
    local file sum; file="$(sed -n 1p <<<"$entry")"; sum="$(sed -n 2p <<<"$entry")"
    local deb="$dir/debs/$(basename "$file")"
    curl -fsSL --max-time 300 "$mirror/$file" -o "$deb" || continue
    echo "$sum  $deb" | sha256sum -c --quiet - || fail "$deb does not match the SHA-256 of $suite's index"
    dpkg-deb -x "$deb" "$dir/root"
    log "$name from $suite: $(basename "$file")"
    return 0
  done
  fail "no suite of $mirror ($*) has $name for $arch"
}
fetch ruff forky sid
fetch libc6 trixie sid
fetch libgcc-s1 trixie sid
rm -rf "$dir/debs"

cat >"$dir/ruff" <<EOF
#!/bin/sh
# Debian's ruff with the glibc it was built for (scripts/test-ruff.sh).
root="\$(dirname "\$(readlink -f "\$0")")/root"
exec "\$root/usr/lib/$triple/$loader" --library-path "\$root/usr/lib/$triple" "\$root/usr/bin/ruff" "\$@"
EOF
chmod +x "$dir/ruff"
"$dir/ruff" --version >&2 || fail "the unpacked ruff does not start"
touch "$marker"
echo "$dir/ruff"
