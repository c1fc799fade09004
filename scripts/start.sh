#!/usr/bin/env bash
# Builds the extension package and opens it: in VS Code when a `code` command is on PATH,
# otherwise in a bundled code-server (VS Code in the browser) at a printed local address.
# Usage: npm start [-- /path/to/project]   (default: a small demo project with a type error)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
npm run -s package:host >/dev/null
vsix="$root/dist-vsix/nightshift.vsix"
echo "Built $vsix"

project="${1:-}"
demo=0
if [ -z "$project" ]; then
  demo=1
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
  # The demo is ours: opened trusted, with the file to save already open.
  if [ "$demo" = 1 ]; then exec code --disable-workspace-trust "$project" "$project/src/cart.ts"; fi
  exec code "$project"
fi

eval "$(bash scripts/test-env.sh)"
profile="${XDG_CACHE_HOME:-$HOME/.cache}/nightshift-code-server"
mkdir -p "$profile/user-data/User" "$profile/extensions"
# This profile is Nightshift's own; the demo opens trusted (your own project asks, as usual).
trust=true
[ "$demo" = 1 ] && trust=false
# Merged into what is there: settings made in an earlier session (a base URL, a budget) are kept.
node -e '
  const fs = require("fs"); const [file, trust] = process.argv.slice(1);
  let s = {}; try { s = JSON.parse(fs.readFileSync(file, "utf8")); } catch {}
  s = { "workbench.startupEditor": "none", "telemetry.telemetryLevel": "off", "update.mode": "none", ...s, "security.workspace.trust.enabled": trust === "true" };
  fs.writeFileSync(file, JSON.stringify(s, null, 2) + "\n");
' "$profile/user-data/User/settings.json" "$trust"
cs=("$NIGHTSHIFT_NODE24" "$NIGHTSHIFT_CODE_SERVER" --user-data-dir "$profile/user-data" --extensions-dir "$profile/extensions")
"${cs[@]}" --install-extension "$vsix" --force >/dev/null
port="${NIGHTSHIFT_PORT:-8080}"
echo
echo "Nightshift is running in VS Code (code-server): http://127.0.0.1:$port/?folder=$project"
[ "$demo" = 1 ] && echo "Open src/cart.ts and save it; the Nightshift view shows what to set up first (a key, or a local model)."
echo "Or run 'Nightshift: Get Started' from the command palette. Ctrl+C stops it."
exec "${cs[@]}" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check "$project"
