#!/bin/sh
# Build umbra's ISA tests into build/isa/ and run them.
#
#   tests/isa/run.sh [umbra|qemu] [test...]
#
# Default emulator: umbra ($UMBRA_BIN, default build/umbra, built by `make`), each test on every
# backend (native code for every block with --jit-hot 1, native code for hot blocks (the
# default), threaded blocks with --no-jit, --interpreter).  Each run has a
# 10 s timeout; its console output goes to build/isa/<test>.log and is shown
# when it fails.  Environment: CROSS (default riscv64-linux-gnu-), or CC to
# override the compiler (clang works: CC="clang --target=riscv64 -fuse-ld=lld").
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/build/isa
emu=${1:-umbra}
[ $# -gt 0 ] && shift

case $emu in
umbra|qemu) ;;
*) echo "usage: $0 [umbra|qemu] [test...]" >&2; exit 2 ;;
esac

if [ -z "${CC:-}" ]; then
    CROSS=${CROSS:-riscv64-linux-gnu-}
    if command -v "${CROSS}gcc" >/dev/null 2>&1; then
        CC="${CROSS}gcc"
    elif command -v clang >/dev/null 2>&1 && command -v ld.lld >/dev/null 2>&1; then
        CC="clang --target=riscv64 -fuse-ld=lld"
    else
        echo "run.sh: no RISC-V compiler (need ${CROSS}gcc or clang + lld)" >&2
        exit 2
    fi
fi

flags="-nostdlib -nostartfiles -static -march=rv64gc -mabi=lp64d -mcmodel=medany"
flags="$flags -O2 -ffreestanding -fno-pic -Wall -Werror -g -I$here/common"
ldflags="-T$here/common/link.ld -Wl,--build-id=none"
case $CC in
*clang*) ldflags="$ldflags -mno-relax -Wno-unused-command-line-argument" ;;
*) ldflags="$ldflags -Wl,--no-warn-rwx-segments" ;;
esac

if [ $# -gt 0 ]; then
    tests="$*"
else
    tests=$(cd "$here" && ls *.S *.c 2>/dev/null | sed 's/\.[Sc]$//' | sort -u)
fi

# Checks relaxed for QEMU 7.2's known deviations from the spec (see fw.h).
[ "$emu" = qemu ] && flags="$flags -DQEMU_QUIRKS"

mkdir -p "$out"

if [ "$emu" = umbra ]; then
    umbra=${UMBRA_BIN:-$root/build/umbra}
    if [ ! -x "$umbra" ]; then
        echo "run.sh: $umbra not found (run make first)" >&2
        exit 2
    fi
fi

pass=0
fail=0
for t in $tests; do
    src=$here/$t.S
    [ -f "$src" ] || src=$here/$t.c
    elf=$out/$t.elf
    log=$out/$t.log
    # shellcheck disable=SC2086
    if ! $CC $flags $ldflags -o "$elf" "$here/common/fw.S" "$src" >"$log" 2>&1; then
        echo "FAIL $t (build)"
        sed "s/^/    /" "$log" | head -40
        fail=$((fail + 1))
        continue
    fi
    if [ "$emu" = qemu ]; then
        timeout 10 qemu-system-riscv64 -M virt -bios none -kernel "$elf" \
            -nographic -m 128M -monitor none -serial stdio </dev/null >"$log" 2>&1
        rc=$?
    else
        # every backend: native code for every block from its first run, native code
        # for hot blocks (the default), threaded blocks, the interpreter
        for backend in --jit-hot=1 default --no-jit --interpreter; do
            opt=
            [ "$backend" = default ] || opt=$(echo "$backend" | tr = ' ')
            # shellcheck disable=SC2086  # $opt: an option and its value, one option, or none
            timeout 10 "$umbra" run $opt --firmware none --kernel "$elf" --mem 128M \
                </dev/null >"$log" 2>&1
            rc=$?
            [ $rc -eq 0 ] || { echo "    (backend: $backend)" >>"$log"; break; }
        done
    fi
    if [ $rc -eq 0 ]; then
        echo "PASS $t"
        pass=$((pass + 1))
    else
        if [ $rc -eq 124 ]; then
            echo "FAIL $t (exit $rc: timeout)"
        else
            echo "FAIL $t (exit $rc)"
        fi
        sed 's/^/    /' "$log" | head -40
        fail=$((fail + 1))
    fi
done

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
