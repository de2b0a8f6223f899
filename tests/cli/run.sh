#!/usr/bin/env bash
# Command-line and bad-input tests: every malformed option or image must give
# exit status 125 and a message naming the problem, never a crash; and the
# deterministic mode must make two runs of a guest identical.
set -uo pipefail
cd "$(dirname "$0")/../.."
umbra=${UMBRA_BIN:-build/umbra}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

# expect_error NAME PATTERN ARGS...: exit 125 and stderr matching PATTERN.
expect_error() {
	local name=$1 pattern=$2; shift 2
	local out rc
	out=$("$umbra" "$@" 2>&1 </dev/null); rc=$?
	if [ "$rc" -ne 125 ]; then bad "$name" "exit $rc, wanted 125 (output: $out)"
	elif ! grep -qE -- "$pattern" <<<"$out"; then bad "$name" "message '$out' lacks /$pattern/"
	else ok "$name"; fi
}

# A tiny bare-metal guest: prints "hi" and reports through the test device.
cc_guest() { # NAME ASM
	printf '%s\n' "$2" > "$tmp/$1.S"
	riscv64-linux-gnu-gcc -nostdlib -nostartfiles -static -march=rv64gc -mabi=lp64d \
		-Wl,-Ttext-segment=0x80000000 -Wl,--no-relax -Wl,--build-id=none -o "$tmp/$1.elf" "$tmp/$1.S"
}
cc_guest pass '
.globl _start
_start: li t0, 0x10000000
	li t1, 104; sb t1, 0(t0)
	li t1, 105; sb t1, 0(t0)
	li t1, 10; sb t1, 0(t0)
	li t0, 0x100000; li t1, 0x5555; sw t1, 0(t0)
1:	j 1b'
cc_guest fail '
.globl _start
_start: li t0, 0x100000; li t1, (42 << 16) | 0x3333; sw t1, 0(t0)
1:	j 1b'
# Reads mtime-independent state only: prints instret after a fixed loop and a timer interrupt.
cc_guest det '
.globl _start
_start: la t0, trap; csrw mtvec, t0
	li t0, 0x2004000; li t1, 5000; sd t1, 0(t0)
	li t0, 0x80; csrs mie, t0; csrsi mstatus, 8
	li s0, 0
1:	addi s0, s0, 1; j 1b
trap:	li t0, 0x10000000
	li t2, 60
2:	andi t1, s0, 15; addi t1, t1, 65; sb t1, 0(t0); srli s0, s0, 4; addi t2, t2, -4; bgez t2, 2b
	li t1, 10; sb t1, 0(t0)
	li t0, 0x100000; li t1, 0x5555; sw t1, 0(t0)
3:	j 3b'

out=$("$umbra" run --firmware none --kernel "$tmp/pass.elf" --mem 16M </dev/null 2>&1); rc=$?
[ "$rc" -eq 0 ] && [ "$out" = "hi" ] && ok "pass exits 0 with output" || bad "pass" "exit $rc, output '$out'"
"$umbra" run --firmware none --kernel "$tmp/fail.elf" --mem 16M </dev/null >/dev/null 2>&1; rc=$?
[ "$rc" -eq 42 ] && ok "guest failure code is the exit status" || bad "fail code" "exit $rc, wanted 42"
"$umbra" -bios none -kernel "$tmp/pass.elf" -m 16 -nographic </dev/null >/dev/null 2>&1; rc=$?
[ "$rc" -eq 0 ] && ok "QEMU spellings" || bad "QEMU spellings" "exit $rc"
a=$("$umbra" run --firmware none --deterministic --kernel "$tmp/det.elf" --mem 16M </dev/null 2>&1); rc=$?
b=$("$umbra" run --firmware none --deterministic --kernel "$tmp/det.elf" --mem 16M </dev/null 2>&1)
[ "$rc" -eq 0 ] && [[ "$a" =~ ^[A-P]{16}$ ]] && [ "$a" = "$b" ] && ok "deterministic runs are identical ($a)" || bad "deterministic" "'$a' vs '$b'"
c=$("$umbra" run --firmware none --deterministic --interpreter --kernel "$tmp/det.elf" --mem 16M </dev/null 2>&1)
[ "$a" = "$c" ] && ok "interpreter and block engine agree under --deterministic" || bad "backends" "'$a' vs '$c'"
d=$("$umbra" run --firmware none --deterministic --no-jit --kernel "$tmp/det.elf" --mem 16M </dev/null 2>&1)
[ "$a" = "$d" ] && ok "native code and threaded blocks agree under --deterministic" || bad "backends" "'$a' vs '$d'"
e=$("$umbra" run --firmware none --deterministic --jit-hot 1 --kernel "$tmp/det.elf" --mem 16M </dev/null 2>&1)
[ "$a" = "$e" ] && ok "native code from the first run agrees under --deterministic" || bad "backends" "'$a' vs '$e'"

# Bad options.
expect_error "no command" "usage"
expect_error "unknown option" "unknown option '--frobnicate'" run --frobnicate 1 --kernel "$tmp/pass.elf"
expect_error "no kernel" "no kernel" run --mem 64M
expect_error "bad mem" "--mem: 'lots'" run --kernel "$tmp/pass.elf" --mem lots
expect_error "tiny mem" "--mem: '1M'" run --kernel "$tmp/pass.elf" --mem 1M
expect_error "bad cpus" "--cpus: '9'" run --kernel "$tmp/pass.elf" --cpus 9
expect_error "bad jit-hot" "--jit-hot: '0'" run --kernel "$tmp/pass.elf" --jit-hot 0
expect_error "bad drive key" "unsupported option 'cache'" run --kernel "$tmp/pass.elf" --drive file=x,cache=none
expect_error "missing drive" "nonexistent.img: No such file" run --firmware none --kernel "$tmp/pass.elf" --drive file="$tmp/nonexistent.img"
expect_error "missing kernel" "nope.elf: No such file" run --kernel "$tmp/nope.elf"
expect_error "missing initrd" "nope.cpio: No such file" run --firmware none --kernel "$tmp/pass.elf" --initrd "$tmp/nope.cpio"
expect_error "missing firmware" "nope.bin: No such file" run --firmware "$tmp/nope.bin" --kernel "$tmp/pass.elf"

# Malformed images.
: > "$tmp/empty"
expect_error "empty kernel" "empty file" run --kernel "$tmp/empty"
head -c 100 "$tmp/pass.elf" > "$tmp/trunc.elf"
expect_error "truncated ELF" "trunc.elf: truncated or malformed ELF" run --kernel "$tmp/trunc.elf"
printf '\177ELF\001\001\001' > "$tmp/elf32"; head -c 200 /dev/zero >> "$tmp/elf32"
expect_error "32-bit ELF" "elf32: not a 64-bit little-endian ELF" run --kernel "$tmp/elf32"
cp "$tmp/pass.elf" "$tmp/x86.elf"; printf '\076\000' | dd of="$tmp/x86.elf" bs=1 seek=18 conv=notrunc 2>/dev/null
expect_error "wrong machine" "x86.elf: ELF machine 62 is not RISC-V" run --kernel "$tmp/x86.elf"
head -c 4096 /dev/urandom > "$tmp/garbage"; printf 'XX' | dd of="$tmp/garbage" conv=notrunc 2>/dev/null
expect_error "garbage kernel" "garbage: neither an ELF64 RISC-V executable nor a RISC-V Linux Image" run --kernel "$tmp/garbage"
printf '\037\213' > "$tmp/img.gz"; head -c 100 /dev/zero >> "$tmp/img.gz"
expect_error "gzip Image" "gzip-compressed" run --kernel "$tmp/img.gz"
# A Linux Image header claiming 1 GiB: does not fit in 64 MiB.
python3 - "$tmp/big.img" <<'PY'
import struct, sys
hdr = struct.pack('<IIQQQIIQ8sI', 0, 0, 0x200000, 1 << 30, 0, 2, 0, 0, b'RISCV\0\0\0', 0x05435352)
open(sys.argv[1], 'wb').write(hdr + bytes(4096))
PY
expect_error "kernel too large" "big.img: kernel image at 0x80200000..0xc0200000 does not fit" run --kernel "$tmp/big.img" --mem 64M
head -c $((40 << 20)) /dev/zero > "$tmp/huge.cpio"
expect_error "initrd too large" "huge.cpio: initrd of 41943040 bytes does not fit" run --firmware none --kernel "$tmp/pass.elf" --initrd "$tmp/huge.cpio" --mem 32M

# A guest that executes garbage and touches unmapped memory gets exceptions, not a host crash.
head -c 65536 /dev/urandom > "$tmp/noise.bin"
timeout 10 "$umbra" run --firmware none --kernel "$tmp/noise.bin" --mem 16M </dev/null >/dev/null 2>&1; rc=$?
[ "$rc" -eq 124 ] || [ "$rc" -eq 0 ] || [ "$rc" -lt 125 ] && ok "random code: no crash (exit $rc)" || bad "random code" "exit $rc"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
