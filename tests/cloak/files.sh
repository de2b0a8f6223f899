#!/usr/bin/env bash
# Cloaked files with Debian's stock kernel: a cloaked program (derived key)
# writes a secret file to the virtio disk; the disk holds only ciphertext;
# after a restart of the VM the program reads it back verified; a flipped
# byte and a replayed older version are detected.
set -uo pipefail
cd "$(dirname "$0")/../.."
umbra=${UMBRA_BIN:-build/umbra}
cache=$(scripts/fetch-linux.sh | tail -n 1)
out=build/cloak-files
rm -rf "$out"; mkdir -p "$out/state"
export UMBRA_STATE_DIR="$PWD/$out/state" UMBRA_MASTER_KEY="$PWD/$out/master.key"
cross=(riscv64-linux-gnu-gcc -std=c17 -Wall -Wextra -Werror -O2 -static)
"${cross[@]}" -nostdlib -ffreestanding -fno-stack-protector -march=rv64gc -mabi=lp64d -mcmodel=medany \
	-T guest/cloak/link.ld -Wl,--no-warn-rwx-segments -Wl,--build-id=none -o "$out/secretfile" \
	guest/cloak/tramp.S guest/cloak/shim.c guest/cloak/secretfile.c || { echo "0 passed, 1 failed"; exit 1; }
scripts/mkinitramfs.sh "$out/initramfs.cpio" --mode test --add "$out/secretfile:/bin/umbra-secretfile" \
	>/dev/null 2>&1 || { echo "0 passed, 1 failed"; exit 1; }
pass=0 fail=0
boot() { # MODE DISK LOG
	timeout 300 "$umbra" run --kernel "$cache/Image" --initrd "$out/initramfs.cpio" \
		--append "console=ttyS0 quiet umbra.mode=cloakfile umbra.file=$1" --mem 256M \
		--drive file="$2" </dev/null >"$3" 2>&1
}
expect() { # NAME LOG PATTERN
	if grep -q -- "$3" "$2"; then echo "PASS $1"; pass=$((pass + 1));
	else echo "FAIL $1: $(grep -E 'FILE:|UMBRA-CLOAKFILE|integrity' "$2" | head -3)"; fail=$((fail + 1)); fi
}
dd if=/dev/zero of="$out/disk.img" bs=1M count=1 2>/dev/null
boot write "$out/disk.img" "$out/1-write.log"
expect "a cloaked program writes its file" "$out/1-write.log" "FILE: written"
if grep -aq "TOP-SECRET" "$out/disk.img"; then echo "FAIL the disk holds plaintext"; fail=$((fail + 1));
else echo "PASS the disk holds only ciphertext"; pass=$((pass + 1)); fi
[ "$(stat -c %a "$out/master.key")" = 600 ] && { echo "PASS the master key is kept with mode 0600"; pass=$((pass + 1)); } \
	|| { echo "FAIL master key mode $(stat -c %a "$out/master.key")"; fail=$((fail + 1)); }
boot read "$out/disk.img" "$out/2-read.log"
expect "after a restart it reads the file back, verified" "$out/2-read.log" "FILE: read back and verified"
cp "$out/disk.img" "$out/v1.img"
boot write "$out/disk.img" "$out/3-write.log"
expect "a second version is written" "$out/3-write.log" "FILE: written"
cp "$out/disk.img" "$out/tampered.img"
printf '\x5a' | dd of="$out/tampered.img" bs=1 seek=$((4096 * 2 + 100)) conv=notrunc 2>/dev/null
boot read "$out/tampered.img" "$out/4-tampered.log"
expect "a flipped byte is detected" "$out/4-tampered.log" "FILE: integrity failure detected"
boot read "$out/v1.img" "$out/5-replay.log"
expect "a replayed older version is detected" "$out/5-replay.log" "FILE: replay of an older version detected"
boot read "$out/disk.img" "$out/6-read.log"
expect "the latest version reads back verified" "$out/6-read.log" "FILE: read back and verified"
echo "cloak-files: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
