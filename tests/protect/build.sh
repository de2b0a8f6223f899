#!/usr/bin/env bash
# Builds the guest library (build/guest/libumbra.a) and the bare-metal protection
# test kernels: build/protect/protect-<scenario>.elf and build/protect/bench.elf.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
cross=${CROSS:-riscv64-linux-gnu-}
cc=${cross}gcc
out=build/protect
mkdir -p "$out/obj"
command -v "$cc" >/dev/null || { echo "build.sh: $cc not found" >&2; exit 1; }
make -s -f guest/lib/umbra.mk CROSS="$cross"

flags=(-std=c17 -Wall -Wextra -Werror -O2 -g -ffreestanding -fno-pic -fno-stack-protector
       -fno-jump-tables -fno-tree-loop-distribute-patterns -march=rv64gc -mabi=lp64d
       -mcmodel=medany -mno-relax -Iinclude -Iguest/lib -I"$here")
# shellcheck disable=SC2054  # commas belong to the linker options
ldflags=(-nostdlib -nostartfiles -static -T"$here/link.ld" -Wl,--build-id=none
         -Wl,--no-warn-rwx-segments)
for f in start.S user.S kern.c uprog.c; do
	"$cc" "${flags[@]}" -c -o "$out/obj/${f%.*}.o" "$here/$f"
done
common=("$out/obj/start.o" "$out/obj/user.o" "$out/obj/kern.o" "$out/obj/uprog.o")
n=0
for s in main halt-owner halt-kernel halt-other halt-device limit; do
	"$cc" "${flags[@]}" -DSCENARIO=$n -c -o "$out/obj/protect-$s.o" "$here/protect.c"
	"$cc" "${flags[@]}" "${ldflags[@]}" -o "$out/protect-$s.elf" "${common[@]}" \
		"$out/obj/protect-$s.o" build/guest/libumbra.a -lgcc
	n=$((n + 1))
done
if [ -f "$here/bench.c" ]; then
	"$cc" "${flags[@]}" -c -o "$out/obj/bench.o" "$here/bench.c"
	"$cc" "${flags[@]}" "${ldflags[@]}" -o "$out/bench.elf" "${common[@]}" "$out/obj/bench.o" \
		build/guest/libumbra.a -lgcc
fi
