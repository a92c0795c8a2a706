#!/usr/bin/env bash
# Installs what the tests need (idempotently), then runs every test.
# This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each file in scripts/deps installs one thing the tests need (a PostgreSQL
# server check, Graphviz, Node packages, Chromium) and exports what tells the
# tests where it is. Each is idempotent and fails loudly when it cannot.
for dep in scripts/deps/*.sh; do
	[ -e "$dep" ] || continue
	echo "== $(basename "$dep" .sh)"
	# shellcheck source=/dev/null
	source "$dep"
done

echo "== go mod tidy"
# go.mod lists what the code imports, direct as direct; a change that
# needs tidying fails here with the diff.
go mod tidy -diff

echo "== go vet"
go vet ./...
echo "== go test"
go test -count=1 -timeout 15m "$@" ./...
bash scripts/ci-fuzz.sh
