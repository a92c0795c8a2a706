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
# The packages whose requests and commands share state between goroutines
# (the domain's caches, the stores, the server, the commands) run under the
# race detector, the rest without it: on two cores the whole suite under
# -race took 35 minutes, this split 27, most of it the store's tests, which
# under -race need more than the 15 minutes the others get.
race=(./graph/... ./store/... ./server/... ./cmd/rustbelt/...)
echo "== go test -race ${race[*]}"
# -race also turns on checkptr, which github.com/boltdb/bolt (under
# Cayley's bolt backend) fails on its own page casts ("converted pointer
# straddles multiple allocations"); it is turned off there alone.
go test -race -gcflags='github.com/boltdb/bolt=-d=checkptr=0' -count=1 -timeout 45m "$@" "${race[@]}"
echo "== go test (the other packages)"
mapfile -t rest < <(go list ./... | grep -vxF -f <(go list "${race[@]}"))
go test -count=1 -timeout 15m "$@" "${rest[@]}"
bash scripts/ci-fuzz.sh
