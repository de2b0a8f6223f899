#!/usr/bin/env bash
# The sanitizer suite: builds umbra and the unit tests with AddressSanitizer +
# UndefinedBehaviorSanitizer (make SAN=1 O=build/san, every report fatal) and
# runs the unit, CLI, ISA and Linux boot tests on that build.  Reports go to
# build/san/reports/ rather than to the tests' stderr, so that no test can
# mistake one for expected output; any report fails the suite.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=build/san
reports=$PWD/$out/reports
rm -rf "$reports"
mkdir -p "$reports"
export ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="log_path=$reports/ubsan:print_stacktrace=1:halt_on_error=1"
export UMBRA_BIN=$PWD/$out/umbra

pass=0 fail=0
step() {
	local name=$1; shift
	echo "--- san: $name"
	if "$@"; then pass=$((pass + 1)); else echo "--- san: $name FAILED"; fail=$((fail + 1)); fi
}

step build make --no-print-directory -j2 SAN=1 O=$out all
step unit make --no-print-directory SAN=1 O=$out unit
step cli tests/cli/run.sh
step isa tests/isa/run.sh umbra
step linux tests/linux/boot-test.sh umbra
step linux-2-harts tests/linux/deterministic.sh
step host-attack tests/host/attack.sh

if compgen -G "$reports/*" >/dev/null; then
	echo "--- san: sanitizer reports:"
	for r in "$reports"/*; do echo "=== $r"; head -40 "$r"; done
	fail=$((fail + 1))
fi
echo "san: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
