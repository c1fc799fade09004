#!/usr/bin/env bash
# Builds the extension package and opens it: in VS Code when a `code` command is on PATH,
# otherwise in a bundled code-server (VS Code in the browser) at a printed local address.
# Usage: npm start [-- /path/to/project]   (default: a small demo project with a type error)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
npm run -s package >/dev/null
vsix="$root/dist-vsix/nightshift.vsix"
echo "Built $vsix"

project="${1:-}"
if [ -z "$project" ]; then
  project="${XDG_CACHE_HOME:-$HOME/.cache}/nightshift-demo"
  if [ ! -d "$project" ]; then
    mkdir -p "$(dirname "$project")"
    cp -r "$root/test/fixtures/ts-error" "$project"
    # The demo's compiler, so Nightshift can check its proposals.
    mkdir -p "$project/node_modules" && ln -s "$root/node_modules/typescript" "$project/node_modules/typescript"
  fi
  echo "Opening the demo project $project (save src/cart.ts to see a proposal)."
fi

if command -v code >/dev/null 2>&1 && [ "${NIGHTSHIFT_USE_CODE_SERVER:-0}" != 1 ]; then
  code --install-extension "$vsix" --force
  exec code "$project"
fi

eval "$(bash scripts/test-env.sh)"
profile="${XDG_CACHE_HOME:-$HOME/.cache}/nightshift-code-server"
mkdir -p "$profile/user-data/User" "$profile/extensions"
[ -f "$profile/user-data/User/settings.json" ] ||
  printf '{ "workbench.startupEditor": "none", "telemetry.telemetryLevel": "off", "update.mode": "none" }\n' > "$profile/user-data/User/settings.json"
cs=("$NIGHTSHIFT_NODE24" "$NIGHTSHIFT_CODE_SERVER" --user-data-dir "$profile/user-data" --extensions-dir "$profile/extensions")
"${cs[@]}" --install-extension "$vsix" --force >/dev/null
port="${NIGHTSHIFT_PORT:-8080}"
echo
echo "Nightshift is running in VS Code (code-server): http://127.0.0.1:$port/?folder=$project"
echo "Set a key with 'Nightshift: Set API Key', or set nightshift.baseUrl to a local server. Ctrl+C stops it."
exec "${cs[@]}" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check "$project"
