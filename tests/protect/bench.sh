#!/usr/bin/env bash
# Microbenchmark of umbra's memory protection (tests/protect/bench.c): cost of
# PROTECT per page and compute over protected vs unprotected memory.
#   tests/protect/bench.sh        # results on stdout; log in build/protect/bench.log
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.." || exit 1
umbra=${UMBRA_BIN:-build/umbra}
"$here/build.sh" || exit 1
timeout 300 "$umbra" run --kernel build/protect/bench.elf --mem 64M </dev/null \
	>build/protect/bench.log 2>&1
rc=$?
grep -a -E '^(bench:|FAIL|protect:)' build/protect/bench.log
exit $rc
