#!/usr/bin/env bash
# Builds stock Cayley v0.7.7, unmodified, into bench/stock/bin/cayley: the
# baseline of the benchmarks, and the reference for Cayley-compatibility
# checks. `go install ...@v0.7.7` needs a version-list lookup that fails here;
# building the command inside this module, whose go.mod and go.sum pin
# cayley v0.7.7 and its dependencies, does not. The first build takes minutes
# (cgo for sqlite); later ones are quick and print nothing.
set -euo pipefail
cd "$(dirname "$0")"
GOFLAGS=-mod=mod go build -o bin/cayley github.com/cayleygraph/cayley/cmd/cayley
bin/cayley version >/dev/null 2>&1
echo "$(pwd)/bin/cayley"
