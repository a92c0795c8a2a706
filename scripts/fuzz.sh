#!/usr/bin/env bash
# Runs every Go fuzz target in the module, one after another, for DURATION
# each (default 5m), and prints how many inputs each one tried. A target
# that finds a failing input stops the script; Go saves the input under the
# package's testdata/fuzz/TARGET, where it stays as a regression case.
#
#   scripts/fuzz.sh            # long run: 5 minutes per target
#   scripts/fuzz.sh 20s        # what CI runs (scripts/ci-fuzz.sh)
#   scripts/fuzz.sh 2m Resolve # only targets whose name contains Resolve
#
# FUZZ_PARALLEL sets the number of fuzzing workers (default: all cores).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-5m}
filter=${2:-}
parallel=()
if [ -n "${FUZZ_PARALLEL:-}" ]; then
	parallel=(-parallel "$FUZZ_PARALLEL")
fi

summary=()
# Targets are found in the source, which is quicker than building every
# package's tests to list them.
for dir in $(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do
	pkg=$dir
	for target in $(grep -h -o '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go | cut -d' ' -f2); do
		case "$target" in *"$filter"*) ;; *) continue ;; esac
		echo "== fuzz $target ($pkg, $duration)"
		log=$(mktemp)
		corpus="$dir/testdata/fuzz/$target"
		before=$(ls "$corpus" 2>/dev/null | wc -l)
		if ! go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$duration" "${parallel[@]}" 2>&1 | tee "$log"; then
			# Go 1.26's fuzz coordinator can report its own -fuzztime deadline
			# as a failure when a worker is mid-input on a busy machine
			# (golang/go#75804, fixed in Go 1.27); it writes no input then.
			# Anything else, or a new input in the corpus, is a finding.
			after=$(ls "$corpus" 2>/dev/null | wc -l)
			if [ "$after" -eq "$before" ] && grep -q '^    context deadline exceeded$' "$log" && ! grep -q -e '^panic:' -e 'Failing input written' "$log"; then
				echo "fuzz: $target: the fuzzing engine's own deadline race (golang/go#75804), no failing input: not a finding" >&2
			else
				rm -f "$log"
				echo "fuzz: $target found a failing input (see above)" >&2
				exit 1
			fi
		fi
		# A run that spends its time replaying the corpus prints no execs line.
		execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | cut -d' ' -f2 || true)
		rm -f "$log"
		summary+=("$(printf '%-22s %12s inputs in %s' "$target" "${execs:-?}" "$duration")")
	done
done
echo "== fuzz summary"
printf '%s\n' "${summary[@]}"
