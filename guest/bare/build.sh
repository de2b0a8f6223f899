#!/usr/bin/env bash
# Builds a bare-metal S-mode guest with this runtime (start.S, runtime.c, link.ld):
#   guest/bare/build.sh OUT.elf SOURCE.c...
# CROSS names the cross-compiler prefix (default riscv64-linux-gnu-).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 OUT.elf SOURCE.c..." >&2; exit 2; }
here=$(dirname "$0")
out=$1; shift
# shellcheck disable=SC2054  # commas belong to the linker options
flags=(-std=c17 -Wall -Wextra -Werror -O2 -ffreestanding -fno-pic -fno-stack-protector
       -fno-jump-tables -fno-tree-loop-distribute-patterns -march=rv64gc -mabi=lp64d
       -mcmodel=medany -mno-relax -I"$here/../../include" -I"$here" -nostdlib -nostartfiles -static
       "-T$here/link.ld" -Wl,--build-id=none -Wl,--no-warn-rwx-segments)
exec "${CROSS:-riscv64-linux-gnu-}gcc" "${flags[@]}" -o "$out" "$here/start.S" "$here/runtime.c" "$@" -lgcc
