#!/usr/bin/env bash
# The Iago suite of the cloaking attacks: a kernel that lies in its system-call
# results to a cloaked program that uses the shim (guest/cloak/).  Builds the
# program (tests/cloak/iago/main.c with the real shim) and the lying S-mode
# kernel (tests/cloak/iago/) into build/cloak-iago/, then boots it once per
# scenario (iago=NAME on the kernel command line; the list is kern.c's table).
# Every lie must end the program with exit_group(113) and never show the kernel
# its secret; the honest runs must complete.  Prints the checks and
# "N passed, M failed".
#
#   tests/cloak/iago.sh [SCENARIO...]
# Environment: UMBRA_BIN (default build/umbra), CROSS (default riscv64-linux-gnu-).
# Logs: build/cloak-iago/<scenario>.log (console and umbra's stderr).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.." || exit 1
src=tests/cloak/iago
out=build/cloak-iago
umbra=${UMBRA_BIN:-build/umbra}
cc=${CROSS:-riscv64-linux-gnu-}gcc
mkdir -p "$out"

scenarios=(honest leak-control munmap-scrub read-more write-more mmap-image mmap-unaligned
	   mmap-bounce clock-nsec getrandom-more fstat-negative brk-image mmap-wrap clock-negative
	   mmap-tstack brk-bounce brk-span)
[ $# -gt 0 ] && scenarios=("$@")

# shellcheck disable=SC2054 # the commas belong to -Wl options
common=(-std=c17 -Wall -Wextra -Werror -O2 -g -static -nostdlib -ffreestanding -fno-pic
	-fno-stack-protector -fno-tree-loop-distribute-patterns -mcmodel=medany -Wl,--build-id=none
	-Wl,--no-warn-rwx-segments)
build_fail() { echo "FAIL build: $1"; sed 's/^/    /' "$out/build.log" | head -40; echo "0 passed, 1 failed"; exit 1; }
"$cc" "${common[@]}" -march=rv64gc -mabi=lp64d -Iguest/cloak -I"$src" -T guest/cloak/link.ld \
	-o "$out/user.elf" guest/cloak/tramp.S guest/cloak/shim.c "$src/main.c" >"$out/build.log" 2>&1 ||
	build_fail "the cloaked program"
"$cc" "${common[@]}" -march=rv64imac_zicsr_zifencei -mabi=lp64 -I"$src" -T "$src/link.ld" \
	-DUSER_ELF="\"$out/user.elf\"" -o "$out/iago.elf" "$src/start.S" "$src/user.S" "$src/kern.c" \
	>"$out/build.log" 2>&1 || build_fail "the lying kernel"
[ -x "$umbra" ] || { echo "FAIL $umbra not found (run make first)"; echo "0 passed, 1 failed"; exit 1; }

# The shim asks for a key derived from umbra's master key: use a key of our own,
# and keep umbra's state out of the home directory.
[ -s "$out/master.key" ] || head -c 32 /dev/urandom >"$out/master.key"
export UMBRA_MASTER_KEY=$out/master.key UMBRA_STATE_DIR=$out/state

run_one() { # SCENARIO: its log, then its exit status in <scenario>.rc
	local s=$1
	timeout 15 "$umbra" run --kernel "$out/iago.elf" --mem 64M --append "iago=$s" \
		</dev/null >"$out/$s.log" 2>&1
	echo $? >"$out/$s.rc"
}
# Two at a time: each run is one host thread.
pids=()
for s in "${scenarios[@]}"; do
	run_one "$s" &
	pids+=($!)
	if [ ${#pids[@]} -ge 2 ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
wait

pass=0 fail=0
for s in "${scenarios[@]}"; do
	log=$out/$s.log rc=$(cat "$out/$s.rc" 2>/dev/null || echo 1)
	echo "== $s"
	grep -a -E '^(PASS|FAIL|NOTE|user:) ' "$log" | sed 's/^user:/    user:/'
	p=$(grep -a -c '^PASS ' "$log") f=$(grep -a -c '^FAIL ' "$log")
	pass=$((pass + p)) fail=$((fail + f))
	if ! grep -a -q -E "^iago $s: [0-9]+ checks, [0-9]+ failed" "$log"; then
		[ "$rc" -eq 124 ] && why="timed out" || why="exit status $rc, no summary line"
		echo "FAIL $s: the kernel finished its run: $why"
		tail -n 5 "$log" | sed 's/^/    | /'
		fail=$((fail + 1))
	elif [ "$f" -eq 0 ] && [ "$rc" -ne 0 ]; then
		echo "FAIL $s: umbra exited with $rc although every check passed"
		fail=$((fail + 1))
	fi
	# The host's view: the secret never reaches the console (the kernel withholds
	# what the leak control writes; anything else would be a leak).
	if grep -a -q 'UMBRA-IAGO-SECRET' "$log"; then
		echo "FAIL $s: the console shows the secret"
		fail=$((fail + 1))
	else
		echo "PASS $s: the console never shows the secret"
		pass=$((pass + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
