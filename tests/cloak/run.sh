#!/usr/bin/env bash
# The cloaking attack suite (issue 4): builds the hostile S-mode kernel of
# tests/cloak/ into build/cloak/, runs it on umbra with two harts and a disk,
# and adds the host's view: neither the disk image nor the console may hold
# the program's plaintext ("TOP-SECRET", which A and B are full of).
# Prints one line per check and "N passed, M failed".
#
#   tests/cloak/run.sh
# Environment: UMBRA_BIN (default build/umbra), CROSS (default riscv64-linux-gnu-).
# Log: build/cloak/cloak.log (console and umbra's stderr).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
out=build/cloak
umbra=${UMBRA_BIN:-build/umbra}
cc=${CROSS:-riscv64-linux-gnu-}gcc
mkdir -p "$out"

flags=(-std=c17 -Wall -Wextra -Werror -O2 -g -ffreestanding -fno-pic -fno-stack-protector
       -fno-tree-loop-distribute-patterns -march=rv64gc -mabi=lp64d -mcmodel=medany
       -nostdlib -nostartfiles -static -I"$here" -T"$here/link.ld" -Wl,--build-id=none
       -Wl,--no-warn-rwx-segments)
if ! "$cc" "${flags[@]}" -o "$out/cloak.elf" "$here/start.S" "$here/user.S" "$here/kern.c" \
	>"$out/build.log" 2>&1; then
	echo "FAIL build"; sed 's/^/    /' "$out/build.log" | head -40
	echo "0 passed, 1 failed"; exit 1
fi
[ -x "$umbra" ] || { echo "FAIL $umbra not found (run make first)"; echo "0 passed, 1 failed"; exit 1; }

disk=$out/disk.img log=$out/cloak.log
rm -f "$disk"; truncate -s 1M "$disk"
timeout 60 "$umbra" run --kernel "$out/cloak.elf" --mem 64M --cpus 2 --drive "file=$disk" \
	</dev/null >"$log" 2>&1
rc=$?

pass=$(grep -a -c '^PASS ' "$log")
fail=$(grep -a -c '^FAIL ' "$log")
grep -a -E '^(PASS|FAIL|NOTE) ' "$log"
# umbra's own reports (integrity faults and the like), for the reader
grep -a -E 'integrity fault|error' "$log" | grep -a -v -E '^(PASS|FAIL|NOTE) ' | sort | uniq -c |
	sed 's/^/    umbra:/' | head -10

host_check() { # NAME CONDITION-RESULT
	if [ "$2" = 0 ]; then echo "PASS $1"; pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi
}
# The kernel printed A's frame through the SBI debug console between markers.
dbcn=$(grep -a -c 'DBCN-BEGIN<' "$log")
host_check "9b the console shows no plaintext of A (SBI debug console print of its frame)" \
	"$([ "$dbcn" -ge 1 ] && ! grep -a -q 'TOP-SECRET' "$log"; echo $?)"
host_check "9j the disk image holds no plaintext of A" \
	"$(! grep -a -q 'TOP-SECRET' "$disk"; echo $?)"
summary=$(grep -a -E '^cloak: [0-9]+ checks, [0-9]+ failed' "$log" | tail -n 1)
if [ -z "$summary" ]; then
	[ "$rc" -eq 124 ] && why="timed out" || why="exit status $rc, no summary line"
	echo "FAIL the kernel finished its run: $why"
	tail -n 5 "$log" | sed 's/^/    | /'
	fail=$((fail + 1))
elif [ "$fail" -eq 0 ] && [ "$rc" -ne 0 ]; then
	echo "FAIL umbra exited with $rc although every check passed"
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
