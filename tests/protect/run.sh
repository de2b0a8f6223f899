#!/usr/bin/env bash
# Bare-metal tests of program-directed memory protection (docs/hypercall-abi.md):
# builds the S-mode test kernels of tests/protect/ into build/protect/ and runs
# each scenario on build/umbra.  Prints the failed checks and "N passed, M failed"
# (checks of every scenario; a HALT scenario is one check: umbra's exit status 120).
#
#   tests/protect/run.sh [scenario...]      main halt-owner halt-kernel halt-other
#                                           halt-device limit (default: all)
# Environment: UMBRA_BIN (default build/umbra), CROSS (default riscv64-linux-gnu-).
# Logs: build/protect/<scenario>.log (console and umbra's stderr).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 1
out=build/protect
umbra=${UMBRA_BIN:-build/umbra}
mkdir -p "$out/obj"

scenarios=${*:-main halt-owner halt-kernel halt-other halt-device limit}

"$here/build.sh" || { echo "0 passed, 1 failed"; exit 1; }
[ -x "$umbra" ] || { echo "run.sh: $umbra not found (run make first)"; echo "0 passed, 1 failed"; exit 1; }

disk=$out/disk.img
pass=0 fail=0
for s in $scenarios; do
	elf=$out/protect-$s.elf log=$out/$s.log
	args=(--mem 64M)
	expect=0
	case $s in
	main) args+=(--drive "file=$disk") ;;
	halt-device) args+=(--drive "file=$disk"); expect=120 ;;
	halt-*) expect=120 ;;
	limit) args=(--mem 512M) ;;
	*) echo "FAIL $s: unknown scenario"; fail=$((fail + 1)); continue ;;
	esac
	rm -f "$disk"; truncate -s 1M "$disk"
	timeout 120 "$umbra" run --kernel "$elf" "${args[@]}" </dev/null >"$log" 2>&1
	rc=$?
	summary=$(grep -a -E '^protect: [0-9]+ checks, [0-9]+ failed' "$log" | tail -n 1)
	if [ "$expect" = 120 ]; then
		if [ "$rc" -eq 120 ] && grep -q "halt: violating now" "$log" && [ -z "$summary" ]; then
			echo "PASS $s (umbra exited with 120)"
			pass=$((pass + 1))
		else
			echo "FAIL $s: exit status $rc, expected 120 after the violation"
			grep -a -E '^(FAIL|NOTE)' "$log" | sed 's/^/    /' | head -20
			tail -n 5 "$log" | sed 's/^/    | /'
			fail=$((fail + 1))
		fi
		continue
	fi
	if [ -z "$summary" ]; then
		[ "$rc" -eq 124 ] && why="timed out" || why="exit status $rc, no summary line"
		echo "FAIL $s: $why"
		grep -a -E '^(FAIL|NOTE)' "$log" | sed 's/^/    /' | head -40
		tail -n 5 "$log" | sed 's/^/    | /'
		fail=$((fail + 1))
		continue
	fi
	n=$(sed -E 's/^protect: ([0-9]+) checks, ([0-9]+) failed.*/\1/' <<<"$summary")
	m=$(sed -E 's/^protect: ([0-9]+) checks, ([0-9]+) failed.*/\2/' <<<"$summary")
	grep -a -E '^(FAIL|NOTE)' "$log" | sed "s/^/    $s: /" | head -200
	if [ "$m" -eq 0 ] && [ "$rc" -ne 0 ]; then
		echo "FAIL $s: all checks passed but umbra exited with $rc"
		m=1
	fi
	echo "$s: $((n - m)) of $n checks passed (exit status $rc)"
	pass=$((pass + n - m)); fail=$((fail + m))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
