#!/usr/bin/env bash
# Mutation testing (StrykerJS) of the check, the edits, the privacy gate and the budget: every mutant of
# src/core/{verify,edits,privacy} and the budget governor is compiled in once (mutation switching), then the unit tests run once per mutant.
# Not part of CI: it takes several minutes on two cores. Stryker needs Node 22+, so it runs on the
# test environment's Node 24. Reports: reports/mutation/*.html. Each fails under 85%.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/test-env.sh)"
export PATH="$(dirname "$NIGHTSHIFT_NODE24"):$PATH"
status=0
for part in "${@:-edits verify-ts verify-commands privacy budget}"; do
  for p in $part; do
    printf '\n=== mutation testing: src/core/%s\n' "$p"
    node node_modules/@stryker-mutator/core/bin/stryker.js run "stryker/$p.json" || status=1
  done
done
exit $status
