#!/usr/bin/env bash
# Everything CI checks, in order: types, lint, unit tests (plain Node, fast), the slow unit tests
# (the same tier with compilers, child processes and git: test/slow), the headless host as a real
# process, integration tests (real
# VS Code extension host), end-to-end tests (the packaged .vsix in a real workbench, driven in
# headless Chromium). Installs what the real-VS-Code tiers need on first use (scripts/test-env.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s\n' "$*"; }
results=()
record() { results+=("$1"); }

step "test environment (Chromium, Node 24, code-server; cached after the first run)"
bash scripts/test-env.sh >/dev/null

step "typecheck";   npm run -s typecheck;        record "typecheck ok"
step "lint";        npm run -s lint;             record "lint ok"
step "unit tests";  npm run -s test:unit;        record "unit ok"
step "slow unit tests (compilers, child processes, git)"; npm run -s test:slow; record "slow ok"
step "headless host (the built nightshift binary as a process)"; npm run -s test:cli; record "cli ok"
step "integration tests (real extension host)"; npm run -s test:integration; record "integration ok"
step "end-to-end tests (packaged .vsix, headless Chromium)"; npm run -s test:e2e; record "e2e ok"

step "all green: ${results[*]}"
