#!/usr/bin/env bash
# Runs the libFuzzer harnesses built by `make fuzz` (build/fuzz/fuzz_NAME).
#
#   tests/fuzz/run.sh check              what `make check` runs: every regression
#                                        input, then FUZZ_SECONDS (default 30) of
#                                        fuzzing per harness, two at a time
#   tests/fuzz/run.sh regress            the regression inputs only
#   tests/fuzz/run.sh run NAME [OPT...]  fuzz NAME until stopped (libFuzzer options)
#
# Regression inputs: tests/fuzz/regress/NAME/* must run clean; those under
# tests/fuzz/regress/open/NAME/ reproduce bugs not fixed yet and must still
# fail (once one passes, move it to regress/NAME/).  The fuzz runs read the
# committed seeds (tests/fuzz/corpus/NAME) and keep what they find in
# build/fuzz/corpus/NAME (check: build/fuzz/check/NAME, emptied first, and a
# fixed seed, so that a check run depends on the commit alone); a crash
# lands in build/fuzz/artifacts/NAME/.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=build/fuzz
names=(exec virtio sbi loader cli api)
seconds=${FUZZ_SECONDS:-30}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

die() { echo "fuzz: $*" >&2; exit 2; }
for n in "${names[@]}"; do
	[ -x "$out/fuzz_$n" ] || die "$out/fuzz_$n missing (run make fuzz)"
done

# fuzz NAME CORPUS SECONDS|0 [OPT...]: one libFuzzer run; 0 seconds means until stopped.
fuzz() {
	local n=$1 corpus=$2 secs=$3; shift 3
	local dict=() limit=()
	[ -f "tests/fuzz/$n.dict" ] && dict=(-dict="tests/fuzz/$n.dict")
	[ "$secs" -gt 0 ] && limit=(-max_total_time="$secs")
	mkdir -p "$corpus" "$out/artifacts/$n" "tests/fuzz/corpus/$n"
	"$out/fuzz_$n" "${limit[@]}" "${dict[@]}" -timeout=10 -rss_limit_mb=4096 -close_fd_mask=2 \
		-print_final_stats=1 -artifact_prefix="$out/artifacts/$n/" "$@" \
		"$corpus" "tests/fuzz/corpus/$n"
}

regress() {
	local pass=0 fail=0 n f
	for n in "${names[@]}"; do
		for f in tests/fuzz/regress/"$n"/*; do
			[ -f "$f" ] || continue
			if "$out/fuzz_$n" "$f" >"$out/regress.log" 2>&1; then
				pass=$((pass + 1))
			else
				echo "FAIL $f"; grep -E 'invariant|runtime error|ERROR|SUMMARY' "$out/regress.log" | head -5
				fail=$((fail + 1))
			fi
		done
		for f in tests/fuzz/regress/open/"$n"/*; do
			[ -f "$f" ] || continue
			if "$out/fuzz_$n" "$f" >"$out/regress.log" 2>&1; then
				echo "FAIL $f: passes now; move it to tests/fuzz/regress/$n/"
				fail=$((fail + 1))
			else
				echo "XFAIL $f (open bug)"
				pass=$((pass + 1))
			fi
		done
	done
	echo "fuzz regressions: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}

# Short runs, two at a time (a 2-core machine); each must end without a finding.
check_runs() {
	local fail=0 pids=() n i p runs
	mkdir -p "$out/logs"
	for ((i = 0; i < ${#names[@]}; i += 2)); do
		pids=()
		for n in "${names[@]:i:2}"; do
			rm -rf "$out/check/$n"
			fuzz "$n" "$out/check/$n" "$seconds" -seed=1 >"$out/logs/$n.log" 2>&1 &
			pids+=("$!:$n")
		done
		for p in "${pids[@]}"; do
			n=${p#*:}
			if wait "${p%%:*}"; then
				runs=$(awk '/^stat::number_of_executed_units/ {print $2}' "$out/logs/$n.log")
				echo "PASS fuzz_$n: $runs runs in ${seconds}s"
			else
				echo "FAIL fuzz_$n (log: $out/logs/$n.log)"
				grep -E 'invariant|runtime error|ERROR|SUMMARY|Test unit written' "$out/logs/$n.log" | head -8
				fail=$((fail + 1))
			fi
		done
	done
	echo "fuzz runs: $(( ${#names[@]} - fail )) passed, $fail failed"
	[ "$fail" -eq 0 ]
}

case ${1:-check} in
check)
	regress; r1=$?
	check_runs; r2=$?
	[ $r1 -eq 0 ] && [ $r2 -eq 0 ] ;;
regress) regress ;;
run)
	[ $# -ge 2 ] || die "usage: $0 run NAME [libFuzzer options]"
	n=$2; shift 2
	fuzz "$n" "$out/corpus/$n" 0 "$@" ;;
*) die "usage: $0 check|regress|run NAME [options]" ;;
esac
