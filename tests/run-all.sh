#!/usr/bin/env bash
# The whole test suite: host unit tests, the ISA suite on umbra, the
# Linux boot test (which fetches Debian's kernel on first use), the same
# tests again under ASan + UBSan (tests/san/), and the fuzz regression
# inputs plus a short run of every fuzz harness (tests/fuzz/).  Prints one
# closing line "N passed, M failed" over the suites and fails if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."

pass=0 fail=0
run_suite() {
	local name=$1; shift
	echo "=== $name"
	if "$@"; then
		pass=$((pass + 1))
	else
		echo "=== $name FAILED"
		fail=$((fail + 1))
	fi
}

run_suite unit make --no-print-directory unit
run_suite cli tests/cli/run.sh
run_suite install tests/cli/install.sh
run_suite debug tests/debug/gdb.sh
run_suite host-api tests/host/api.sh
run_suite host-swap tests/host/swap.sh
run_suite host-hostile tests/host/hostile.sh
run_suite host-balloon-bare tests/host/balloon-bare.sh
run_suite host-attack tests/host/attack.sh
run_suite host-faults tests/host/faults.sh
run_suite isa tests/isa/run.sh umbra
run_suite protect tests/protect/run.sh
run_suite cloak tests/cloak/run.sh
run_suite cloak-iago tests/cloak/iago.sh
run_suite linux tests/linux/boot-test.sh umbra
run_suite linux-deterministic tests/linux/deterministic.sh
run_suite linux-opensbi tests/linux/opensbi.sh
run_suite linux-protect tests/protect/linux.sh
run_suite linux-cloak tests/cloak/linux.sh
run_suite linux-cloak-files tests/cloak/files.sh
run_suite linux-balloon tests/host/balloon-linux.sh virtio
run_suite linux-balloon-app tests/host/balloon-linux.sh app
run_suite linux-balloon-three tests/host/balloon-linux.sh three
run_suite sanitizers tests/san/run.sh
run_suite fuzz make --no-print-directory -j2 fuzz-check

echo "suites: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
