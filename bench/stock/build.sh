#!/usr/bin/env bash
# Builds stock Cayley v0.7.7, unmodified, into OUT (default
# bench/stock/bin/cayley) and prints its path: the baseline of the
# benchmarks, and the reference for Cayley-compatibility checks (the store
# tests build it into a cache folder with an OUT of their own).
# `go install ...@v0.7.7` needs a version-list lookup that fails here;
# building the command inside this module, whose go.mod and go.sum pin
# cayley v0.7.7 and its dependencies, does not. The first build takes minutes
# (cgo for sqlite); later ones are quick and print nothing.
#
#   bench/stock/build.sh [OUT]
set -euo pipefail
out=$(realpath -m "${1:-$(dirname "$0")/bin/cayley}")
cd "$(dirname "$0")"
GOFLAGS=-mod=mod go build -o "$out" github.com/cayleygraph/cayley/cmd/cayley
"$out" version >/dev/null 2>&1
echo "$out"
