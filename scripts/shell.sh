#!/usr/bin/env bash
# Boots Debian's stock riscv64 kernel on umbra to an interactive busybox shell (make shell).
set -euo pipefail
cd "$(dirname "$0")/.."
cache=$(scripts/fetch-linux.sh | tail -n 1)
scripts/mkinitramfs.sh build/linux/initramfs-shell.cpio --mode shell >/dev/null
echo "umbra demo: booting Debian's Linux kernel; Ctrl-A x quits, 'poweroff -f' powers off."
exec build/umbra run --kernel "$cache/Image" --initrd build/linux/initramfs-shell.cpio \
	--append "console=ttyS0 quiet umbra.mode=shell" --mem 512M --cpus 2
