#!/usr/bin/env bash
# Linux boot test: boots Debian's stock riscv64 kernel with our initramfs (umbra.mode=test) and
# a test disk, and expects "UMBRA-LINUX-TEST: PASS" on the console and a clean power-off.
#
#   tests/linux/boot-test.sh qemu     # qemu-system-riscv64 -M virt, OpenSBI from QEMU
#   tests/linux/boot-test.sh umbra    # build/umbra run ...
#
# Environment:
#   UMBRA_LINUX_TIMEOUT   seconds before the run is killed (default: 120 qemu, 300 umbra)
#   UMBRA_LINUX_APPEND    extra kernel command-line arguments
#   UMBRA_BIN             the umbra binary (default: build/umbra)
#   QEMU                  the QEMU binary (default: qemu-system-riscv64)
# The guest console goes to build/linux/boot-test-EMULATOR.log.
set -euo pipefail

die() { echo "boot-test: error: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

[[ $# -eq 1 ]] || die "usage: $0 qemu|umbra"
emu="$1"
case "$emu" in
    qemu) timeout_s="${UMBRA_LINUX_TIMEOUT:-120}" ;;
    umbra) timeout_s="${UMBRA_LINUX_TIMEOUT:-300}" ;;
    *) die "unknown emulator '$emu' (expected qemu or umbra)" ;;
esac

out="$root/build/linux"
mkdir -p "$out"
cache="$("$root/scripts/fetch-linux.sh")" || die "fetching the kernel failed (scripts/fetch-linux.sh)"
"$root/scripts/mkinitramfs.sh" "$out/initramfs-test.cpio" --mode test || die "building the initramfs failed"
"$root/scripts/mkdisk.sh" "$out/disk.img" || die "building the test disk failed"

kernel="$cache/Image"
initrd="$out/initramfs-test.cpio"
disk="$out/disk.img"
append="console=ttyS0 umbra.mode=test${UMBRA_LINUX_APPEND:+ $UMBRA_LINUX_APPEND}"
log="$out/boot-test-$emu.log"

case "$emu" in
    qemu)
        qemu="${QEMU:-qemu-system-riscv64}"
        command -v "$qemu" >/dev/null || die "$qemu not found (apt-get install qemu-system-misc)"
        # shellcheck disable=SC2054  # commas belong to QEMU options
        cmd=("$qemu" -M virt -m 512M -smp 1 -nographic -no-reboot -bios default
             -kernel "$kernel" -initrd "$initrd" -append "$append"
             -drive "file=$disk,format=raw,if=none,id=d0,readonly=on"
             -device virtio-blk-device,drive=d0)
        ;;
    umbra)
        umbra="${UMBRA_BIN:-$root/build/umbra}"
        [[ -x "$umbra" ]] || die "$umbra not found or not executable: build umbra first (or set UMBRA_BIN)"
        cmd=("$umbra" run --kernel "$kernel" --initrd "$initrd" --append "$append"
             --mem 512M --drive "file=$disk,readonly=on")
        ;;
esac

echo "boot-test: $emu: ${cmd[*]}"
echo "boot-test: timeout ${timeout_s}s, console log: $log"
start=$(date +%s.%N)
set +e
timeout --kill-after=10 "$timeout_s" "${cmd[@]}" < /dev/null > "$log" 2>&1
rc=$?
set -e
elapsed=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')

marker="$(tr -d '\r' < "$log" | grep -a -m1 -E '^UMBRA-LINUX-TEST: ' || true)"
reason=""
if [[ $rc -eq 124 || $rc -eq 137 ]]; then
    reason="timed out after ${timeout_s}s"
elif [[ -z "$marker" ]]; then
    reason="no UMBRA-LINUX-TEST marker on the console (exit code $rc)"
elif [[ "$marker" != "UMBRA-LINUX-TEST: PASS" ]]; then
    reason="guest reported: ${marker#UMBRA-LINUX-TEST: }"
elif [[ $rc -ne 0 ]]; then
    reason="PASS printed, but $emu exited with code $rc (expected 0 after power-off)"
fi

if [[ -z "$reason" ]]; then
    tr -d '\r' < "$log" | grep -a -E '^umbra-init: (uptime|disk|cpuinfo)' | sed 's/^/  /' || true
    echo "boot-test: $emu: PASS in ${elapsed}s"
    echo "1 passed, 0 failed"
    exit 0
fi
echo "boot-test: $emu: FAIL: $reason (after ${elapsed}s)"
echo "---- last 40 lines of $log ----"
tail -n 40 "$log" | tr -d '\r'
echo "----"
echo "0 passed, 1 failed"
exit 1
