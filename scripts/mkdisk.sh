#!/usr/bin/env bash
# Make the raw disk image that the Linux boot test reads from /dev/vda (guest/linux/init.c).
#
#   scripts/mkdisk.sh OUT.img
#
# Layout (1 MiB, no partition table, no file system):
#   sector 0        text header, NUL-padded:
#                     "UMBRA-TEST-DISK 1\nsize=<image bytes>\npayload=<bytes>\ncrc=<cksum CRC>\n"
#   sector 1...     payload: the lines "umbra test disk line 000000\n" ... (8192 lines)
#   last sector     "UMBRA-TEST-DISK-END\n", NUL-padded
# crc is the CRC printed by POSIX cksum(1) for the payload.
set -euo pipefail

die() { echo "mkdisk: error: $*" >&2; exit 1; }
[[ $# -eq 1 && "$1" != -* ]] || die "usage: $0 OUT.img"
out="$1"
mkdir -p "$(dirname "$out")"

size=$((1024 * 1024))
lines=8192
tmp="$(mktemp -d "${TMPDIR:-/tmp}/umbra-mkdisk.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

awk -v n="$lines" 'BEGIN { for (i = 0; i < n; i++) printf "umbra test disk line %06d\n", i }' \
    > "$tmp/payload"
payload=$(stat -c %s "$tmp/payload")
crc=$(cksum < "$tmp/payload" | cut -d' ' -f1)
(( payload <= size - 2 * 512 )) || die "payload too large"

printf 'UMBRA-TEST-DISK 1\nsize=%d\npayload=%d\ncrc=%s\n' "$size" "$payload" "$crc" > "$tmp/header"
printf 'UMBRA-TEST-DISK-END\n' > "$tmp/end"

truncate -s 0 "$tmp/img"
truncate -s "$size" "$tmp/img"
dd if="$tmp/header" of="$tmp/img" conv=notrunc status=none
dd if="$tmp/payload" of="$tmp/img" bs=512 seek=1 conv=notrunc status=none
dd if="$tmp/end" of="$tmp/img" bs=512 seek=$((size / 512 - 1)) conv=notrunc status=none
[[ $(stat -c %s "$tmp/img") -eq $size ]] || die "internal: image has the wrong size"
mv "$tmp/img" "$out"
