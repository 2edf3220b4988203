#!/usr/bin/env bash
# The long form of the differential test (issue 9): random tenants and sign-ins evaluated by the product's evaluator
# and by the reference model of spec/evaluation.md in Tests/BreakglassTests/Differential, compared on the decision,
# on every policy's applicability and on security defaults. Prints a summary (and the disagreements, grouped by what
# differs) and fails on any disagreement.
#
#   scripts/differential.sh                 # 100,000 sign-ins, seed 9
#   scripts/differential.sh 20000 42       # 20,000 sign-ins, seed 42
#   EXAMPLES=1 scripts/differential.sh      # also print the shortest example of each kind of disagreement
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export BREAKGLASS_DIFF_SIGNINS="${1:-100000}"
export BREAKGLASS_DIFF_SEED="${2:-9}"
if [[ -n "${EXAMPLES:-}" ]]; then export BREAKGLASS_DIFF_EXAMPLES=1; fi
swift build --build-tests
swift test --skip-build --filter 'DifferentialTests'
