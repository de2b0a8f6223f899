#!/usr/bin/env bash
# Linux tests of program-directed memory protection: Debian's stock kernel boots
# an initramfs whose init is guest/linux/protect.c (rdinit=/sbin/umbra-protect),
# which prints one PASS/FAIL line per check and "UMBRA-PROTECT-TEST: N passed,
# M failed", then powers off.
#
#   tests/protect/linux.sh
# Environment: UMBRA_BIN (default build/umbra), CROSS_CC, UMBRA_LINUX_TIMEOUT
# (default 300 s).  Console log: build/protect/linux.log.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
die() { echo "linux.sh: error: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

out=build/protect
mkdir -p "$out"
umbra=${UMBRA_BIN:-build/umbra}
[[ -x "$umbra" ]] || die "$umbra not found (run make first)"
cc=${CROSS_CC:-riscv64-linux-gnu-gcc}
make -s -f guest/lib/umbra.mk || die "building the guest library failed"
"$cc" -std=c17 -Wall -Wextra -Werror -O2 -static -s -Iinclude -Iguest/lib \
	-o "$out/umbra-protect" guest/linux/protect.c build/guest/libumbra.a \
	|| die "building guest/linux/protect.c failed"
cache=$(scripts/fetch-linux.sh | tail -n 1) || die "fetching the kernel failed"
scripts/mkinitramfs.sh "$out/initramfs-protect.cpio" --add "$out/umbra-protect:/sbin/umbra-protect" \
	2>"$out/mkinitramfs.log" || { cat "$out/mkinitramfs.log" >&2; die "building the initramfs failed"; }

log=$out/linux.log
# Runs umbra in the background and stops it early if the kernel panics.
limit=${UMBRA_LINUX_TIMEOUT:-300}
"$umbra" run --kernel "$cache/Image" --initrd "$out/initramfs-protect.cpio" \
	--append "console=ttyS0 rdinit=/sbin/umbra-protect" --mem 512M </dev/null >"$log" 2>&1 &
upid=$!
rc=
for ((t = 0; t < limit * 2; t++)); do
	if ! kill -0 "$upid" 2>/dev/null; then
		wait "$upid" && rc=0 || rc=$?; break
	fi
	if grep -a -q -E 'Kernel panic|end Kernel panic' "$log"; then
		sleep 1; kill "$upid" 2>/dev/null; wait "$upid" || :; rc="killed after a kernel panic"; break
	fi
	sleep 0.5
done
if [[ -z "$rc" ]]; then
	kill "$upid" 2>/dev/null; wait "$upid" || :; rc="timed out after ${limit}s"
fi
tr -d '\r' <"$log" | grep -a -E '^(PASS|FAIL) ' || true
summary=$(tr -d '\r' <"$log" | grep -a -E '^UMBRA-PROTECT-TEST: [0-9]+ passed, [0-9]+ failed' | tail -n 1 || true)
if [[ -z "$summary" ]]; then
	echo "linux.sh: no summary on the console (exit status $rc); last lines of $log:"
	tail -n 30 "$log" | tr -d '\r' | sed 's/^/    | /'
	echo "0 passed, 1 failed"
	exit 1
fi
pass=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\1/' <<<"$summary")
fail=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\2/' <<<"$summary")
if grep -a -q -E 'Oops|Kernel panic|BUG:|Unable to handle' "$log"; then
	echo "FAIL the kernel reported a problem:"
	grep -a -E -A3 'Oops|Kernel panic|BUG:|Unable to handle' "$log" | head -20 | sed 's/^/    | /'
	fail=$((fail + 1))
fi
if [[ "$rc" != 0 ]]; then
	echo "FAIL umbra: exit status $rc (expected 0 after the power-off)"
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
