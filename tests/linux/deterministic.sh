#!/usr/bin/env bash
# Boots Linux twice on 2 harts with --deterministic and checks that the two
# console logs (kernel timestamps included) are identical and that the boot
# test passed.  Run after boot-test.sh, which builds the images.  UMBRA_BIN
# picks the binary (default build/umbra).
set -uo pipefail
cd "$(dirname "$0")/../.."
umbra=${UMBRA_BIN:-build/umbra}
cache=$(scripts/fetch-linux.sh | tail -n 1)
for f in build/linux/initramfs-test.cpio build/linux/disk.img; do
	[ -f "$f" ] || { echo "deterministic: $f missing (run tests/linux/boot-test.sh first)"; echo "0 passed, 1 failed"; exit 1; }
done
for i in 1 2; do
	timeout 300 "$umbra" run --kernel "$cache/Image" --initrd build/linux/initramfs-test.cpio \
		--append "console=ttyS0 umbra.mode=test" --mem 512M --cpus 2 --deterministic \
		--drive file=build/linux/disk.img,readonly=on </dev/null >"build/linux/det-$i.log" 2>&1
done
if grep -q "UMBRA-LINUX-TEST: PASS" build/linux/det-1.log &&
   cmp -s build/linux/det-1.log build/linux/det-2.log; then
	echo "deterministic: two 2-hart Linux boots produced identical consoles ($(wc -l < build/linux/det-1.log) lines)"
	echo "1 passed, 0 failed"
else
	diff build/linux/det-1.log build/linux/det-2.log | head -20
	echo "0 passed, 1 failed"
	exit 1
fi
