#!/usr/bin/env bash
# Runs each fuzz target briefly (FUZZTIME, default 8s), as part of the
# test command; scripts/fuzz.sh with a longer duration is the real search.
set -euo pipefail
cd "$(dirname "$0")/.."
exec bash scripts/fuzz.sh "${FUZZTIME:-8s}"
