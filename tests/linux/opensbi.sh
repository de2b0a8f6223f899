#!/usr/bin/env bash
# Boots the Linux boot test under Debian's OpenSBI (--firmware FILE, M-mode
# firmware) instead of the built-in SBI.  Run after boot-test.sh.
set -uo pipefail
cd "$(dirname "$0")/../.."
fw=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
cache=$(scripts/fetch-linux.sh | tail -n 1)
if [ ! -f "$fw" ]; then echo "opensbi: $fw missing (scripts/setup.sh installs opensbi)"; echo "0 passed, 1 failed"; exit 1; fi
timeout 300 build/umbra run --firmware "$fw" --kernel "$cache/Image" \
	--initrd build/linux/initramfs-test.cpio --append "console=ttyS0 umbra.mode=test" \
	--mem 512M --cpus 2 --drive file=build/linux/disk.img,readonly=on </dev/null >build/linux/opensbi.log 2>&1
rc=$?
if [ "$rc" -eq 0 ] && grep -q "^OpenSBI" build/linux/opensbi.log && grep -q "UMBRA-LINUX-TEST: PASS" build/linux/opensbi.log; then
	echo "opensbi: Linux on 2 harts under OpenSBI passed"
	echo "1 passed, 0 failed"
else
	tail -20 build/linux/opensbi.log
	echo "opensbi: exit $rc"
	echo "0 passed, 1 failed"
	exit 1
fi
