#!/usr/bin/env bash
# Fetch Debian's stock riscv64 kernel and busybox-static into a per-machine cache.
#
#   scripts/fetch-linux.sh            # fetch once, print the cache directory
#   scripts/fetch-linux.sh --force    # fetch again even if the cache is complete
#
# The packages come from the Debian archive that this machine's apt is configured with (the
# URI is read from /etc/apt/sources.list{,.d} at run time; set UMBRA_DEBIAN_MIRROR to override).
# apt runs with a private, temporary configuration (own sources list restricted to riscv64,
# own state, lists and cache directories), removed afterwards: the system's apt state is not
# touched. Nothing is installed; the packages are unpacked with dpkg-deb.
#
# Cache: ${UMBRA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/umbra}/debian-riscv64/
#   Image                 uncompressed kernel Image (RISC-V boot header; what -kernel loads)
#   vmlinu[xz]-<release>  the kernel file exactly as the package ships it
#   config                kernel config (copy of /boot/config-<release>)
#   modules/              lib/modules/<release>/ tree, plus a generated modules.dep
#   busybox               busybox static binary (riscv64)
#   manifest              key=value facts (kernel release, package versions, hashes); written last
#
# Environment: UMBRA_CACHE, UMBRA_DEBIAN_SUITE (default: trixie), UMBRA_DEBIAN_MIRROR.
set -euo pipefail

die() { echo "fetch-linux: error: $*" >&2; exit 1; }
note() { echo "fetch-linux: $*" >&2; }

force=0
case "${1:-}" in
    "") ;;
    --force) force=1 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (usage: $0 [--force])" ;;
esac

cache_root="${UMBRA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/umbra}"
dest="$cache_root/debian-riscv64"
suite="${UMBRA_DEBIAN_SUITE:-trixie}"

# --- idempotence: a complete cache is left alone --------------------------------------------
cache_complete() {
    local m="$dest/manifest" rel
    [[ -f "$m" ]] || return 1
    rel="$(sed -n 's/^kernel_release=//p' "$m")"
    [[ -n "$rel" && -s "$dest/Image" && -x "$dest/busybox" && -s "$dest/config" \
        && -s "$dest/modules/modules.dep" && -d "$dest/modules/kernel" ]]
}
if [[ $force -eq 0 ]] && cache_complete; then
    echo "$dest"
    exit 0
fi

for tool in apt-get dpkg-deb xz file sha256sum awk; do
    command -v "$tool" >/dev/null || die "'$tool' not found (needed to fetch the kernel)"
done

# --- the archive URI, from apt's own sources -------------------------------------------------
# First deb entry (deb822 .sources or one-line .list) whose suite is a plain Debian release
# (not -security/-updates/-backports) and whose components include main.
find_mirror() {
    local files=()
    [[ -f /etc/apt/sources.list ]] && files+=(/etc/apt/sources.list)
    local f
    for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [[ -f "$f" ]] && files+=("$f")
    done
    [[ ${#files[@]} -gt 0 ]] || return 1
    awk '
        function release_suite(s) {
            return s ~ /^(oldoldstable|oldstable|stable|testing|unstable|sid|buster|bullseye|bookworm|trixie|forky|duke)$/
        }
        function check(types, uris, suites, comps, enabled,   n, i, t, ok) {
            if (tolower(enabled) == "no" || types !~ /(^|[ \t])deb([ \t]|$)/) return
            if (comps !~ /(^|[ \t])main([ \t]|$)/) return
            n = split(suites, t, /[ \t]+/); ok = 0
            for (i = 1; i <= n; i++) if (release_suite(t[i])) ok = 1
            if (!ok) return
            split(uris, t, /[ \t]+/)
            if (t[1] != "" && found == "") found = t[1]
        }
        function flush() { if (inst) check(ty, ur, su, co, en); inst = 0; ty = ur = su = co = en = "" }
        FNR == 1 { flush(); deb822 = (FILENAME ~ /\.sources$/) }
        deb822 {
            if ($0 ~ /^[ \t]*$/) { flush(); next }
            if ($0 ~ /^[ \t]*#/) next
            line = $0; key = line; sub(/:.*/, "", key); val = line; sub(/^[^:]*:[ \t]*/, "", val)
            key = tolower(key); inst = 1
            if (key == "types") ty = val; else if (key == "uris") ur = val
            else if (key == "suites") su = val; else if (key == "components") co = val
            else if (key == "enabled") en = val
            next
        }
        {
            sub(/#.*/, "")
            if ($1 != "deb") next
            line = $0; sub(/^[ \t]*deb[ \t]+/, "", line)
            if (line ~ /^\[/) sub(/^\[[^]]*\][ \t]*/, "", line)
            n = split(line, w, /[ \t]+/); comps = ""
            for (i = 3; i <= n; i++) comps = comps " " w[i]
            check("deb", w[1], w[2], comps, "yes")
        }
        END { flush(); if (found == "") exit 1; print found }
    ' "${files[@]}"
}

mirror="${UMBRA_DEBIAN_MIRROR:-}"
if [[ -z "$mirror" ]]; then
    mirror="$(find_mirror)" || die "no Debian archive found in /etc/apt/sources.list or /etc/apt/sources.list.d/*.{list,sources} (set UMBRA_DEBIAN_MIRROR to the archive URI)"
fi
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[[ -r "$keyring" ]] || die "$keyring not found: install the debian-archive-keyring package"
note "archive: $mirror, suite: $suite, architecture: riscv64"

# --- private apt configuration ---------------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/umbra-fetch-linux.XXXXXX")"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
chmod 755 "$work"
mkdir -p "$work/etc/sources.list.d" "$work/etc/preferences.d" "$work/state/lists/partial" \
    "$work/cache/archives/partial" "$work/debs" "$work/x"
: > "$work/state/status"
cat > "$work/etc/sources.list.d/umbra-riscv64.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $suite
Components: main
Architectures: riscv64
Signed-By: $keyring
EOF
# APT_CONFIG replaces the main apt.conf only; /etc/apt/apt.conf.d (proxies, validity settings)
# still applies, as for any apt run on this machine.
cat > "$work/apt.conf" <<EOF
Dir::Etc::SourceList "/dev/null";
Dir::Etc::SourceParts "$work/etc/sources.list.d";
Dir::Etc::Preferences "/dev/null";
Dir::Etc::PreferencesParts "$work/etc/preferences.d";
Dir::State "$work/state";
Dir::State::Lists "$work/state/lists";
Dir::State::status "$work/state/status";
Dir::Cache "$work/cache";
Dir::Cache::Archives "$work/cache/archives";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT::Architecture "riscv64";
APT::Architectures { "riscv64"; };
APT::Get::List-Cleanup "false";
Acquire::Languages "none";
EOF
export APT_CONFIG="$work/apt.conf"
if [[ $EUID -eq 0 ]] && id _apt >/dev/null 2>&1; then
    # apt drops to _apt for downloads; let it write where it downloads to.
    chown -R _apt "$work/state/lists" "$work/cache/archives" "$work/debs"
fi

run_apt() {  # run_apt LOGNAME apt-args...: quiet on success, shows apt's output on failure
    local log="$work/$1.log"; shift
    if ! "$@" >"$log" 2>&1; then
        cat "$log" >&2
        return 1
    fi
    if grep -q '^[WE]:' "$log"; then grep '^[WE]:' "$log" >&2; fi
}

note "reading the riscv64 package list"
run_apt update apt-get -q update \
    || die "'apt-get update' failed for $mirror $suite (riscv64); see apt's messages above"
# apt-get update exits 0 even when an index could not be fetched: check that we got one.
apt-cache show busybox-static >/dev/null 2>&1 \
    || die "no riscv64 package index for '$suite' at $mirror (is the suite name right? see UMBRA_DEBIAN_SUITE)"

field() {  # field PACKAGE FIELD: the field of the candidate version
    apt-cache show --no-all-versions "$1" 2>/dev/null | sed -n "s/^$2: //p" | head -n1
}
meta=linux-image-riscv64
meta_version="$(field "$meta" Version)"
[[ -n "$meta_version" ]] || die "package $meta not found in $suite (riscv64)"
kpkg="$(field "$meta" Depends | sed 's/[,|]/\n/g' | sed 's/^ *//; s/ .*//' \
    | grep -E '^linux-image-[0-9].*-riscv64(-unsigned)?$' | head -n1 || true)"
[[ -n "$kpkg" ]] || die "cannot resolve $meta $meta_version to a linux-image-<version>-riscv64 package (Depends: $(field "$meta" Depends))"
kpkg_version="$(field "$kpkg" Version)"
bb_version="$(field busybox-static Version)"
[[ -n "$kpkg_version" ]] || die "package $kpkg (from $meta) is not in the index"
release_version="$(sed -n 's/^Version: //p' "$work"/state/lists/*InRelease 2>/dev/null | head -n1 || true)"
note "$meta $meta_version -> $kpkg $kpkg_version; busybox-static $bb_version"

note "downloading (about 115 MB)"
(cd "$work/debs" && run_apt download apt-get -q download "$kpkg" busybox-static) \
    || die "'apt-get download $kpkg busybox-static' failed; see apt's messages above"
kdebs=("$work"/debs/linux-image-*.deb)
bdebs=("$work"/debs/busybox-static_*.deb)
kdeb="${kdebs[0]}"
bdeb="${bdebs[0]}"
[[ -f "$kdeb" && -f "$bdeb" ]] || die "apt-get download did not produce both .deb files"

# --- unpack into a staging directory, then move it into place --------------------------------
note "unpacking"
dpkg-deb -x "$kdeb" "$work/x" || die "dpkg-deb could not unpack $(basename "$kdeb")"
mkdir -p "$work/bb"
dpkg-deb -x "$bdeb" "$work/bb" || die "dpkg-deb could not unpack $(basename "$bdeb")"

stage="$cache_root/.debian-riscv64.new.$$"
rm -rf "$stage"
mkdir -p "$stage"
trap 'rm -rf "$stage"; cleanup' EXIT

modroot=""
for d in "$work"/x/usr/lib/modules/* "$work"/x/lib/modules/*; do
    [[ -d "$d/kernel" ]] && { modroot="$d"; break; }
done
[[ -n "$modroot" ]] || die "no lib/modules/<release>/kernel directory in $(basename "$kdeb")"
krel="$(basename "$modroot")"

kfile=""
for f in "$work/x/boot/vmlinuz-$krel" "$work/x/boot/vmlinux-$krel" "$work/x/boot/Image-$krel"; do
    [[ -f "$f" ]] && { kfile="$f"; break; }
done
[[ -n "$kfile" ]] || die "no kernel file for $krel in the package's /boot ($(cd "$work/x/boot" && echo *))"
[[ -f "$work/x/boot/config-$krel" ]] || die "no /boot/config-$krel in the package"
cp "$kfile" "$stage/"
cp "$work/x/boot/config-$krel" "$stage/config"

# The RISC-V Image header has "RISCV\0\0\0" at offset 0x30 and "RSC\x05" at 0x38.
is_riscv_image() { [[ "$(od -An -c -j48 -N5 "$1" | tr -d ' ')" == "RISCV" ]]; }
kformat="$(file -b "$kfile")"
if is_riscv_image "$kfile"; then
    kcompression=none
    cp "$kfile" "$stage/Image"
else
    case "$kformat" in
        gzip*) kcompression=gzip; gzip -dc "$kfile" > "$stage/Image" ;;
        XZ*) kcompression=xz; xz -dc "$kfile" > "$stage/Image" ;;
        Zstandard*) kcompression=zstd; command -v zstd >/dev/null || die "kernel is zstd-compressed: install zstd"
            zstd -dcq "$kfile" > "$stage/Image" ;;
        *) die "unknown kernel file format: $(basename "$kfile"): $kformat" ;;
    esac
    is_riscv_image "$stage/Image" || die "decompressed $(basename "$kfile") is not a RISC-V Image ($(file -b "$stage/Image"))"
fi
note "kernel $(basename "$kfile"): $kformat (compression: $kcompression)"

cp -a "$modroot" "$stage/modules"

# modules.dep is made by depmod when the package is installed; it is not in the .deb. Generate
# it (same format: "path: dep...", all transitive dependencies, the last one to be loaded
# first) from each module's .modinfo "depends=" entry.
note "generating modules.dep for $(find "$stage/modules/kernel" -name '*.ko*' | wc -l) modules"
modinfo_depends() {  # prints the comma-separated depends= value of module file $1
    local f="$1"
    case "$f" in
        *.ko.xz) xz -dc "$f" ;;
        *.ko.gz) gzip -dc "$f" ;;
        *.ko.zst) zstd -dcq "$f" ;;
        *) cat "$f" ;;
    esac | tr '\0' '\n' | grep -a -m1 -o 'depends=.*$' | sed 's/^depends=//' || true
}
(
    cd "$stage/modules"
    find kernel -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.gz' -o -name '*.ko.zst' | LC_ALL=C sort \
    | while IFS= read -r m; do
        printf '%s\t%s\n' "$m" "$(modinfo_depends "$m")"
    done
) > "$work/depends.tsv"
awk -F'\t' '
    function modname(p,   b) { b = p; sub(/.*\//, "", b); sub(/\.ko(\.(xz|gz|zst))?$/, "", b); gsub(/-/, "_", b); return b }
    { path[modname($1)] = $1; deps[modname($1)] = $2; order[++n] = modname($1) }
    function visit(m,   d, k, i) {   # post-order: dependencies before dependents
        if (m in seen) return
        seen[m] = 1
        k = split(deps[m], d, ",")
        for (i = 1; i <= k; i++) {
            gsub(/-/, "_", d[i])
            if (d[i] == "") continue
            if (!(d[i] in path)) { print "fetch-linux: warning: " m " depends on unknown " d[i] > "/dev/stderr"; continue }
            visit(d[i])
        }
        list[++len] = m
    }
    END {
        for (j = 1; j <= n; j++) {
            m = order[j]; delete seen; len = 0; visit(m)
            line = path[m] ":"
            for (i = len - 1; i >= 1; i--) line = line " " path[list[i]]
            print line
        }
    }
' "$work/depends.tsv" > "$stage/modules/modules.dep"

bbin=""
for f in "$work/bb/usr/bin/busybox" "$work/bb/bin/busybox"; do
    [[ -x "$f" ]] && { bbin="$f"; break; }
done
[[ -n "$bbin" ]] || die "no usr/bin/busybox or bin/busybox in $(basename "$bdeb")"
file -b "$bbin" | grep -q 'RISC-V.*statically linked' \
    || die "busybox from $(basename "$bdeb") is not a static RISC-V binary: $(file -b "$bbin")"
cp "$bbin" "$stage/busybox"

# Facts the build scripts rely on.
cfg() { sed -n "s/^$1=//p" "$stage/config"; }
{
    echo "# umbra: Debian riscv64 kernel cache (written by scripts/fetch-linux.sh)"
    echo "debian_suite=$suite"
    echo "debian_release=$release_version"
    echo "kernel_release=$krel"
    echo "kernel_metapackage=$meta $meta_version"
    echo "kernel_package=$kpkg"
    echo "kernel_package_version=$kpkg_version"
    echo "kernel_file=$(basename "$kfile")"
    echo "kernel_file_format=$kformat"
    echo "kernel_file_compression=$kcompression"
    echo "image_sha256=$(sha256sum "$stage/Image" | cut -d' ' -f1)"
    echo "module_compression=$(find "$stage/modules/kernel" -name '*.ko*' | head -n1 | sed -n 's/.*\.ko\.\?//p' | sed 's/^$/none/')"
    echo "config_module_decompress=$(cfg CONFIG_MODULE_DECOMPRESS)"
    echo "busybox_package=busybox-static"
    echo "busybox_package_version=$bb_version"
    echo "busybox_sha256=$(sha256sum "$stage/busybox" | cut -d' ' -f1)"
    echo "fetched=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} > "$stage/manifest.tmp"
mv "$stage/manifest.tmp" "$stage/manifest"

rm -rf "$dest"
mv "$stage" "$dest"
cache_complete || die "internal: the cache at $dest is incomplete after fetching"
note "done: kernel $krel ($kpkg $kpkg_version), busybox $bb_version"
echo "$dest"
