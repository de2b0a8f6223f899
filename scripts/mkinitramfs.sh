#!/usr/bin/env bash
# Build an initramfs (newc cpio, uncompressed) for Debian's riscv64 kernel with our own init.
#
#   scripts/mkinitramfs.sh OUT.cpio [--mode test|shell] [--busybox] [--module NAME]...
#                          [--uncompressed-modules] [--add SRC:DEST]...
#
#   --mode MODE     default mode of init when the command line has no umbra.mode= (default: test)
#   --busybox       include busybox (always included with --mode shell)
#   --module NAME   load one more kernel module (and what it depends on) at boot
#   --uncompressed-modules
#                   ship modules decompressed (.ko) even if the kernel can decompress them
#   --add SRC:DEST  copy the host file or directory SRC to DEST (absolute) in the image
#
# Contents: /init (guest/linux/init.c, built into build/linux/), the virtio modules that
# Debian's config builds as modules, in load order (/etc/umbra/modules, taken from the
# kernel's modules.dep; built-in ones are skipped), /etc/umbra/mode, /dev/console, and
# /bin/busybox if asked for. The kernel comes from scripts/fetch-linux.sh's cache (fetched on
# first use). Environment: CROSS_CC (default riscv64-linux-gnu-gcc), UMBRA_CACHE.
set -euo pipefail

die() { echo "mkinitramfs: error: $*" >&2; exit 1; }
note() { echo "mkinitramfs: $*" >&2; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

out=""
mode="test"
busybox=0
uncompressed=0
extra_modules=()
adds=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --mode) [[ $# -ge 2 ]] || die "--mode needs a value"; mode="$2"; shift 2 ;;
        --busybox) busybox=1; shift ;;
        --module) [[ $# -ge 2 ]] || die "--module needs a value"; extra_modules+=("$2"); shift 2 ;;
        --uncompressed-modules) uncompressed=1; shift ;;
        --add) [[ $# -ge 2 ]] || die "--add needs SRC:DEST"; adds+=("$2"); shift 2 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        -*) die "unknown option '$1'" ;;
        *) [[ -z "$out" ]] || die "more than one output file given ('$out', '$1')"; out="$1"; shift ;;
    esac
done
[[ -n "$out" ]] || die "usage: $0 OUT.cpio [--mode test|shell] [--busybox] [--module NAME]... [--add SRC:DEST]..."
case "$mode" in test|shell) ;; *) die "--mode must be test or shell, not '$mode'" ;; esac
[[ "$mode" == shell ]] && busybox=1
command -v cpio >/dev/null || die "cpio not found (apt-get install cpio)"

cache="$("$here/fetch-linux.sh")" || die "could not fetch the kernel (scripts/fetch-linux.sh failed)"
krel="$(sed -n 's/^kernel_release=//p' "$cache/manifest")"
moddir="$cache/modules"

# --- init --------------------------------------------------------------------------------------
cc="${CROSS_CC:-riscv64-linux-gnu-gcc}"
command -v "$cc" >/dev/null || die "$cc not found (apt-get install gcc-riscv64-linux-gnu, or set CROSS_CC)"
mkdir -p "$root/build/linux"
"$cc" -std=c17 -Wall -Wextra -Werror -O2 -static -s -o "$root/build/linux/init" \
    "$root/guest/linux/init.c" || die "building guest/linux/init.c failed"

# --- modules: which, in what order, in what form ---------------------------------------------
modname() { local b="${1##*/}"; b="${b%%.ko*}"; echo "${b//-/_}"; }
cfg() { sed -n "s/^$1=//p" "$cache/config"; }

declare -A builtin=() modpath=() moddeps=()
while IFS= read -r p; do builtin[$(modname "$p")]=1; done < "$moddir/modules.builtin"
while IFS= read -r line; do
    p="${line%%:*}"
    n="$(modname "$p")"
    modpath[$n]="$p"
    moddeps[$n]="${line#*:}"
done < "$moddir/modules.dep"

# The virtio stack on QEMU's virt machine; Debian builds some of these in.
wanted=(virtio virtio_ring virtio_mmio virtio_blk virtio_console rng_core virtio_rng virtio_balloon)
wanted+=("${extra_modules[@]}")
order=()
declare -A queued=()
queue() {  # queue NAME: its dependencies (modules.dep lists them last-loaded-first), then it
    local n="$1" deps d i
    [[ -n "${queued[$n]:-}" ]] && return 0
    queued[$n]=1
    read -r -a deps <<< "${moddeps[$n]}"
    for ((i = ${#deps[@]} - 1; i >= 0; i--)); do
        d="$(modname "${deps[i]}")"
        [[ -n "${queued[$d]:-}" ]] || { queued[$d]=1; order+=("${deps[i]}"); }
    done
    order+=("${modpath[$n]}")
}
for n in "${wanted[@]}"; do
    n="${n//-/_}"
    if [[ -n "${builtin[$n]:-}" ]]; then
        note "module $n: built into the kernel"
    elif [[ -n "${modpath[$n]:-}" ]]; then
        queue "$n"
    else
        note "module $n: not in this kernel (neither built in nor a module), skipped"
    fi
done

# Compressed modules are loaded as they are if the kernel decompresses that format itself.
ship_compressed=0
case "$(sed -n 's/^module_compression=//p' "$cache/manifest")" in
    xz) [[ "$(cfg CONFIG_MODULE_DECOMPRESS)" == y && "$(cfg CONFIG_MODULE_COMPRESS_XZ)" == y ]] && ship_compressed=1 ;;
    zst) [[ "$(cfg CONFIG_MODULE_DECOMPRESS)" == y && "$(cfg CONFIG_MODULE_COMPRESS_ZSTD)" == y ]] && ship_compressed=1 ;;
    gz) [[ "$(cfg CONFIG_MODULE_DECOMPRESS)" == y && "$(cfg CONFIG_MODULE_COMPRESS_GZIP)" == y ]] && ship_compressed=1 ;;
esac
[[ $uncompressed -eq 1 ]] && ship_compressed=0

# --- staging tree --------------------------------------------------------------------------------
stage="$(mktemp -d "$root/build/linux/initramfs.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{dev,proc,sys,tmp,root,etc/umbra,bin,sbin,usr/bin,usr/sbin} "$stage/lib/modules/$krel"
chmod 1777 "$stage/tmp"
cp "$root/build/linux/init" "$stage/init"
echo "$mode" > "$stage/etc/umbra/mode"

: > "$stage/etc/umbra/modules"
: > "$stage/lib/modules/$krel/modules.dep"
for p in ${order[@]+"${order[@]}"}; do
    src="$moddir/$p"
    [[ -f "$src" ]] || die "module file $p listed in modules.dep is missing from the cache"
    dst="$p"
    mkdir -p "$stage/lib/modules/$krel/$(dirname "$p")"
    if [[ $ship_compressed -eq 1 || "$p" == *.ko ]]; then
        cp "$src" "$stage/lib/modules/$krel/$p"
    else
        dst="${p%.*}"
        case "$p" in
            *.xz) xz -dc "$src" ;;
            *.zst) zstd -dcq "$src" ;;
            *.gz) gzip -dc "$src" ;;
        esac > "$stage/lib/modules/$krel/$dst" || die "cannot decompress $p"
    fi
    echo "/lib/modules/$krel/$dst" >> "$stage/etc/umbra/modules"
    awk -v p="$p:" '$1 == p' "$moddir/modules.dep" | sed "s|\.ko\.[a-z]*|.ko${dst#*.ko}|g" \
        >> "$stage/lib/modules/$krel/modules.dep"
done
cp "$moddir/modules.builtin" "$stage/lib/modules/$krel/"
if [[ ${#order[@]} -gt 0 ]]; then
    form="as shipped ($(sed -n 's/^module_compression=//p' "$cache/manifest"), loaded with MODULE_INIT_COMPRESSED_FILE)"
    [[ $ship_compressed -eq 1 ]] || form="decompressed (.ko)"
    note "modules, in load order, $form: $(for p in "${order[@]}"; do modname "$p"; done | tr '\n' ' ')"
fi

if [[ $busybox -eq 1 ]]; then
    cp "$cache/busybox" "$stage/bin/busybox"
fi

for a in ${adds[@]+"${adds[@]}"}; do
    [[ "$a" == *:* ]] || die "--add '$a': expected SRC:DEST"
    src="${a%%:*}"
    dest="${a#*:}"
    [[ -e "$src" ]] || die "--add: '$src' does not exist"
    [[ "$dest" == /* && "$dest" != *..* ]] || die "--add: DEST '$dest' must be an absolute path without '..'"
    mkdir -p "$stage$(dirname "$dest")"
    cp -a "$src" "$stage$dest"
done

# --- archive -------------------------------------------------------------------------------------
# One newc entry without data (a device node), written by hand so that no mknod is needed.
newc_entry() {  # NAME MODE RDEVMAJOR RDEVMINOR INO
    local name="$1" namesize=$((${#1} + 1)) pad
    printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
        "$5" "$2" 0 0 1 0 0 0 0 "$3" "$4" "$namesize" 0
    printf '%s\0' "$name"
    pad=$(((4 - (110 + namesize) % 4) % 4))
    [[ $pad -eq 0 ]] || head -c "$pad" /dev/zero
}

mkdir -p "$(dirname "$out")"
find "$stage" -exec touch -h -d @0 {} +
{
    (cd "$stage" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort \
        | cpio -o -H newc -R 0:0 --reproducible --quiet)
    # A second archive, appended: /dev/console (char 5:1), so the kernel can give init a console.
    newc_entry dev/console $((0020000 | 0600)) 5 1 900001
    newc_entry TRAILER!!! 0 0 0 0
} > "$out.tmp" || die "writing the cpio archive failed"
mv "$out.tmp" "$out"
note "wrote $out ($(stat -c %s "$out") bytes, mode $mode, kernel $krel)"
