#!/usr/bin/env bash
# Runs the host unit-test binaries given as arguments and totals their results.
set -u
pass=0 fail=0
for t in "$@"; do
	if "$t"; then pass=$((pass + 1)); else echo "FAIL $t"; fail=$((fail + 1)); fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
