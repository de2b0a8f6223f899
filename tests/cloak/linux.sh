#!/usr/bin/env bash
# Cloaking with Debian's stock kernel: a cloaked static program (guest/cloak)
# keeps a secret in its data and in cloaked anonymous memory while root reads
# its memory through /proc/<pid>/mem: root must see only ciphertext, and the
# program must find its secret intact afterwards.
set -uo pipefail
cd "$(dirname "$0")/../.."
umbra=${UMBRA_BIN:-build/umbra}
cache=$(scripts/fetch-linux.sh | tail -n 1)
out=build/cloak-linux
mkdir -p "$out"
cross=(riscv64-linux-gnu-gcc -std=c17 -Wall -Wextra -Werror -O2 -static)
"${cross[@]}" -nostdlib -ffreestanding -fno-stack-protector -march=rv64gc -mabi=lp64d -mcmodel=medany \
	-T guest/cloak/link.ld -Wl,--no-warn-rwx-segments -Wl,--build-id=none -o "$out/secret" \
	guest/cloak/tramp.S guest/cloak/shim.c guest/cloak/secret.c || { echo "0 passed, 1 failed"; exit 1; }
"${cross[@]}" -D_GNU_SOURCE -o "$out/spy" guest/linux/spy.c || { echo "0 passed, 1 failed"; exit 1; }
scripts/mkinitramfs.sh "$out/initramfs.cpio" --mode test --add "$out/secret:/bin/umbra-secret" \
	--add "$out/spy:/bin/umbra-spy" >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
timeout 300 "$umbra" run --kernel "$cache/Image" --initrd "$out/initramfs.cpio" \
	--append "console=ttyS0 quiet umbra.mode=cloak" --mem 512M </dev/null >"$out/console.log" 2>&1
rc=$?
pass=0 fail=0
check() { if grep -q -- "$2" "$out/console.log"; then echo "PASS $1"; pass=$((pass + 1)); else echo "FAIL $1 (see $out/console.log)"; fail=$((fail + 1)); fi; }
check "root reads the cloaked data as ciphertext" "spy: cloaked data: 8192 bytes of ciphertext"
check "root reads cloaked anonymous memory as ciphertext" "spy: cloaked anonymous memory: 16384 bytes of ciphertext"
check "the program's secret is intact afterwards" "secret: intact after the spy"
check "both agree" "UMBRA-CLOAK: PASS"
if grep -q "PLAINTEXT VISIBLE" "$out/console.log"; then echo "FAIL plaintext leaked"; fail=$((fail + 1)); fi
[ "$rc" -eq 0 ] || { echo "FAIL umbra exit $rc"; fail=$((fail + 1)); }
grep -E "spy:|secret:|UMBRA-CLOAK" "$out/console.log" | sed 's/^/    /'
echo "cloak-linux: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
