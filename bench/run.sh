#!/usr/bin/env bash
# umbra benchmark suite: the same workloads on umbra, on QEMU and natively, one table.
#
#   bench/run.sh [--quick] [--only LIST] [--timeout-umbra S] [--timeout-qemu S]
#
#   --quick            smaller sizes (a smoke test; the numbers are noisier)
#   --only LIST        comma-separated subset of umbra,threaded,qemu,native (default: all);
#                      umbra runs with its code generator, threaded is umbra --no-jit
#   --timeout-umbra S  seconds before one umbra run is killed (default 900)
#   --timeout-qemu S   the same for QEMU (default 300)
#
# Builds everything into build/bench/{full,quick}/, runs, prints the table (see bench/README.md)
# and keeps every console log in build/bench/{full,quick}/logs/.  Exit status 1 if a run failed
# or a checksum differs from the native one.
# Environment: UMBRA (default build/umbra), QEMU (default qemu-system-riscv64), CC (host
# compiler, default cc), CROSS_CC (default riscv64-linux-gnu-gcc).
set -euo pipefail

die() { echo "bench: error: $*" >&2; exit 2; }
note() { echo "bench: $*" >&2; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

quick=0
only="umbra,threaded,qemu,native"
timeout_umbra=900
timeout_qemu=300
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) quick=1; shift ;;
        --only) [[ $# -ge 2 ]] || die "--only needs a list"; only="$2"; shift 2 ;;
        --timeout-umbra) [[ $# -ge 2 ]] || die "--timeout-umbra needs seconds"; timeout_umbra="$2"; shift 2 ;;
        --timeout-qemu) [[ $# -ge 2 ]] || die "--timeout-qemu needs seconds"; timeout_qemu="$2"; shift 2 ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) die "unknown argument '$1' (try --help)" ;;
    esac
done
want() { [[ ",$only," == *",$1,"* ]]; }
for e in ${only//,/ }; do
    case "$e" in umbra|threaded|qemu|native) ;; *) die "--only: unknown target '$e'" ;; esac
done

# --- sizes ------------------------------------------------------------------------------------
# Full sizes take roughly 1-3 s each on QEMU 7.2 (TCG) on a current x86 host.
if [[ $quick -eq 1 ]]; then
    set_name=quick
    intmix_iters=10000 fib_n=30 chase_mib=16 chase_steps=1000000 getppid_n=200000 pipe_n=6000
else
    set_name=full
    intmix_iters=100000 fib_n=38 chase_mib=64 chase_steps=8000000 getppid_n=2000000 pipe_n=60000
fi
workloads=(intmix calls chase)
declare -A uargs=(
    [intmix]="intmix $intmix_iters"
    [calls]="calls $fib_n"
    [chase]="chase $chase_mib $chase_steps"
    [getppid]="getppid $getppid_n"
    [pipe]="pipe $pipe_n"
)
linux_plan=(intmix calls chase getppid pipe)

out="$root/build/bench/$set_name"
logs="$out/logs"
mkdir -p "$out" "$logs"
rm -f "$logs"/*.log
results="$out/results.tsv"
: > "$results"

# --- build --------------------------------------------------------------------------------------
cc="${CC:-cc}"
cross="${CROSS_CC:-riscv64-linux-gnu-gcc}"
qemu="${QEMU:-qemu-system-riscv64}"
umbra="${UMBRA:-$root/build/umbra}"
command -v "$cc" >/dev/null || die "host compiler $cc not found"
command -v "$cross" >/dev/null || die "$cross not found (apt-get install gcc-riscv64-linux-gnu)"
command -v cpio >/dev/null || die "cpio not found"
want qemu && { command -v "$qemu" >/dev/null || die "$qemu not found (apt-get install qemu-system-misc)"; }
want umbra && { [[ -x "$umbra" ]] || die "$umbra not found: run make first (or set UMBRA)"; }

host_flags=(-std=c17 -Wall -Wextra -Werror -O2)
# shellcheck disable=SC2054  # the commas belong to -Wl, options
bare_flags=(-std=c17 -Wall -Wextra -Werror -O2 -march=rv64gc -mabi=lp64d -mcmodel=medany
            -nostdlib -ffreestanding -static -fno-pie -no-pie
            -Wl,--build-id=none -Wl,--no-warn-rwx-segments)
common="$here/common/work.c"

note "building into ${out#"$root"/} ($set_name sizes)"
"$cc" "${host_flags[@]}" -o "$out/tstamp" "$here/host/tstamp.c"
"$cc" "${host_flags[@]}" -o "$out/ubench-native" "$here/linux/ubench.c" "$common"
"$cross" "${host_flags[@]}" -static -o "$out/ubench-riscv64" "$here/linux/ubench.c" "$common"
"$cross" "${host_flags[@]}" -static -s -o "$out/init-riscv64" "$here/linux/init.c"
declare -A wl_id=([intmix]=1 [calls]=2 [chase]=3)
for w in "${workloads[@]}"; do
    for paged in 0 1; do
        "$cross" "${bare_flags[@]}" -T "$here/bare/link.ld" -DWORKLOAD="${wl_id[$w]}" -DPAGED=$paged \
            -DINTMIX_ITERS="$intmix_iters" -DFIB_N="$fib_n" -DCHASE_MIB="$chase_mib" \
            -DCHASE_STEPS="$chase_steps" \
            -o "$out/bare-$w-$([[ $paged -eq 1 ]] && echo sv39 || echo m).elf" \
            "$here/bare/start.S" "$here/bare/main.c" "$common"
    done
done
# intmix with its data in the page its code is in (.bss right after the code, not page-aligned):
# the code-beside-data case that makes an emulator's write detection slow
sed 's/^\( *\.bss (NOLOAD) : ALIGN(\)4096)/\116)/' "$here/bare/link.ld" > "$out/link-mixed.ld"
grep -q '\.bss (NOLOAD) : ALIGN(16)' "$out/link-mixed.ld" || die "bench/bare/link.ld: no .bss line to move"
"$cross" "${bare_flags[@]}" -T "$out/link-mixed.ld" -DWORKLOAD=1 -DPAGED=0 \
    -DINTMIX_ITERS="$intmix_iters" -o "$out/bare-intmix-mixed.elf" \
    "$here/bare/start.S" "$here/bare/main.c" "$common"

kernel=""
if want umbra || want qemu; then
    cache="$("$root/scripts/fetch-linux.sh")" || die "scripts/fetch-linux.sh failed"
    kernel="$cache/Image"
    [[ -f "$kernel" ]] || die "no Image in $cache"
    # The initramfs: /init, /bench/ubench, /bench/plan, /proc, and /dev/console (a char device
    # 5:1 in a hand-written newc entry appended to the archive, so that no mknod is needed).
    stage="$(mktemp -d "$out/initramfs.XXXXXX")"
    trap 'rm -rf "$stage"' EXIT
    mkdir -p "$stage/bench" "$stage/proc" "$stage/dev"
    cp "$out/init-riscv64" "$stage/init"
    cp "$out/ubench-riscv64" "$stage/bench/ubench"
    for w in "${linux_plan[@]}"; do echo "${uargs[$w]}"; done > "$stage/bench/plan"
    newc_entry() {  # NAME MODE RDEVMAJOR RDEVMINOR INO
        local name="$1" namesize=$((${#1} + 1)) pad
        printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
            "$5" "$2" 0 0 1 0 0 0 0 "$3" "$4" "$namesize" 0
        printf '%s\0' "$name"
        pad=$(((4 - (110 + namesize) % 4) % 4))
        [[ $pad -eq 0 ]] || head -c "$pad" /dev/zero
    }
    {
        (cd "$stage" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort \
            | cpio -o -H newc -R 0:0 --quiet)
        newc_entry dev/console $((0020000 | 0600)) 5 1 900001
        newc_entry 'TRAILER!!!' 0 0 0 0
    } > "$out/initramfs.cpio"
fi

# --- running ---------------------------------------------------------------------------------------
# Each run goes through tstamp, which prefixes every console line with the host seconds since
# the emulator process was started.
failures=()

run_logged() {  # LOG TIMEOUT CMD...
    local log="$1" t="$2"
    shift 2
    local rc=0
    "$out/tstamp" -t "$t" -- "$@" > "$log" || rc=$?
    return $rc
}

bare_cmd() {  # EMU ELF
    case "$1" in
        umbra) echo "$umbra run --firmware none --kernel $2 --mem 256M" ;;
        threaded) echo "$umbra run --no-jit --firmware none --kernel $2 --mem 256M" ;;
        qemu) echo "$qemu -M virt -smp 1 -bios none -kernel $2 -m 256M -nographic" ;;
    esac
}

# record WORKLOAD SETTING TARGET GUEST_S WALL_S CHECK SETUP_S STATUS
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$results"; }

# Parses one bare-metal or native log: "<t> BENCH <w> setup=<ticks> ticks=<ticks> check=<hex>"
# and "<t> TSTAMP-EXIT <rc>".  Prints GUEST_S WALL_S CHECK SETUP_S RC (or "-" for missing).
parse_single() {
    awk '
        $2 == "BENCH" {
            for (i = 4; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
            g = sprintf("%.4f", v["ticks"] / 1e7); s = sprintf("%.4f", v["setup"] / 1e7)
            c = v["check"]
        }
        $2 == "TSTAMP-EXIT" { w = sprintf("%.3f", $1); rc = $3 }
        $2 == "TSTAMP-TIMEOUT" { w = sprintf("%.3f", $1); rc = "timeout" }
        END { printf "%s %s %s %s %s\n", g ? g : "-", w ? w : "-", c ? c : "-", s ? s : "-", rc != "" ? rc : "-" }
    ' "$1"
}

run_bare() {  # EMU WORKLOAD SETTING(m|sv39)
    local emu="$1" w="$2" setting="$3" timeout cmd log rc=0
    [[ "$emu" == qemu ]] && timeout=$timeout_qemu || timeout=$timeout_umbra
    log="$logs/$emu-bare-$w-$setting.log"
    cmd="$(bare_cmd "$emu" "$out/bare-$w-$setting.elf")"
    note "$emu: bare $w ($setting)"
    # shellcheck disable=SC2086  # cmd is a plain word list without spaces in its words
    run_logged "$log" "$timeout" $cmd || rc=$?
    local g wall c s r status=ok
    read -r g wall c s r < <(parse_single "$log")
    if [[ "$c" == - ]]; then
        status="FAIL(rc=$r)"
        failures+=("$emu bare $w ($setting): no BENCH line, exit $r; log ${log#"$root"/}; last lines:
$(tail -n 5 "$log" | sed 's/^/    /')")
    fi
    record "$w" "bare-$setting" "$emu" "$g" "$wall" "$c" "$s" "$status"
}

run_native() {  # WORKLOAD
    local w="$1" log="$logs/native-$1.log" rc=0
    note "native: $w"
    # shellcheck disable=SC2086
    run_logged "$log" 600 "$out/ubench-native" ${uargs[$w]} || rc=$?
    local g wall c s r status=ok
    read -r g wall c s r < <(parse_single "$log")
    [[ "$c" != - ]] || { status="FAIL(rc=$r)"; failures+=("native $w: exit $r, log ${log#"$root"/}"); }
    record "$w" native native "$g" "$wall" "$c" "$s" "$status"
}

run_linux() {  # EMU
    local emu="$1" timeout log="$logs/$1-linux.log" rc=0 append="console=ttyS0 quiet panic=-1"
    [[ "$emu" == qemu ]] && timeout=$timeout_qemu || timeout=$timeout_umbra
    note "$emu: Linux boot + ${linux_plan[*]}"
    if [[ "$emu" != qemu ]]; then
        local nojit=()
        [[ "$emu" == threaded ]] && nojit=(--no-jit)
        run_logged "$log" "$timeout" "$umbra" run "${nojit[@]}" --kernel "$kernel" --initrd "$out/initramfs.cpio" \
            --append "$append" --mem 512M || rc=$?
    else
        run_logged "$log" "$timeout" "$qemu" -M virt -smp 1 -m 512M -nographic -no-reboot -bios default \
            -kernel "$kernel" -initrd "$out/initramfs.cpio" -append "$append" || rc=$?
    fi
    # boot: host seconds to the BENCH-INIT line; guest column: the kernel's uptime at that point
    local boot up
    boot="$(awk '$2 == "BENCH-INIT" { printf "%.3f", $1; exit }' "$log")"
    up="$(awk '$2 == "BENCH-UPTIME" { print $3; exit }' "$log")"
    if [[ -n "$boot" ]]; then
        record boot linux "$emu" "${up:--}" "$boot" - - ok
    else
        record boot linux "$emu" - - - - "FAIL(rc=$rc)"
        failures+=("$emu Linux: no BENCH-INIT line (exit $rc); log ${log#"$root"/}; last lines:
$(tail -n 8 "$log" | sed 's/^/    /')")
    fi
    # per workload: BENCH-BEGIN/BENCH-END host times and the BENCH line in between
    local w line g wall c s st
    for w in "${linux_plan[@]}"; do
        line="$(awk -v want="${uargs[$w]}" '
            $2 == "BENCH-BEGIN" { cur = ""; for (i = 3; i <= NF; i++) cur = cur (i > 3 ? " " : "") $i
                                  if (cur == want) { on = 1; tb = $1; g = c = s = "" } ; next }
            on && $2 == "BENCH" {
                for (i = 4; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                g = sprintf("%.4f", v["ticks"] / 1e7); s = sprintf("%.4f", v["setup"] / 1e7); c = v["check"]
            }
            on && $2 == "BENCH-END" { split($3, kv, "="); st = kv[2]; printf "%s %.3f %s %s %s\n",
                                      g ? g : "-", $1 - tb, c ? c : "-", s ? s : "-", st; found = 1; exit }
            END { if (!found) print "- - - - missing" }
        ' "$log")"
        read -r g wall c s st <<< "$line"
        if [[ "$st" == 0 && "$c" != - ]]; then
            record "$w" linux "$emu" "$g" "$wall" "$c" "$s" ok
        else
            record "$w" linux "$emu" - - - - "FAIL($st)"
            failures+=("$emu Linux $w: status $st; log ${log#"$root"/}")
        fi
    done
}

for emu in qemu umbra threaded; do   # QEMU first: it validates the guest programs
    want "$emu" || continue
    for w in "${workloads[@]}"; do
        run_bare "$emu" "$w" m
        run_bare "$emu" "$w" sv39
    done
    run_bare "$emu" intmix mixed
    run_linux "$emu"
done
if want native; then
    for w in "${linux_plan[@]}"; do run_native "$w"; done
fi

# --- the table ------------------------------------------------------------------------------------
mismatch=0
table="$(awk -F'\t' -v quick="$quick" '
    { key = $1 SUBSEP $2 SUBSEP $3; guest[key] = $4; wall[key] = $5; check[key] = $6
      setup[key] = $7; status[key] = $8
      if ($3 == "native") ref[$1] = $6 }
    function cell(k, f) { return (k in status) ? (status[k] == "ok" ? f[k] : status[k]) : "n/a" }
    function ratio(a, b) { return (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b + 0 > 0) ? sprintf("%.2fx", a / b) : "-" }
    function chk(w, s,    e, k, bad, any) {
        if (w == "boot") return "-"
        split("umbra qemu threaded", e, " ")
        for (i = 1; i <= 3; i++) { k = w SUBSEP s SUBSEP e[i]
            if ((k in check) && check[k] != "-") { any = 1; if ((w in ref) && check[k] != ref[w]) bad = bad " " e[i] "=" check[k] } }
        if (bad != "") return "MISMATCH" bad " native=" ref[w]
        if (!(w in ref)) return any ? "(no native)" : "-"
        return any ? "ok" : "-"
    }
    END {
        nw = split("intmix calls chase getppid pipe boot", W, " ")
        ns = split("bare-m bare-mixed bare-sv39 linux", S, " ")
        sname["bare-m"] = "bare M-mode"; sname["bare-sv39"] = "Sv39 S-mode"; sname["linux"] = "Linux user"
        sname["bare-mixed"] = "M, data+code"
        printf "%-8s %-12s %10s %9s %10s %9s %11s %10s %10s  %s\n", "workload", "setting", "umbra s", "(wall)", "qemu s", "(wall)", "umbra/qemu", "threaded s", "native s", "check"
        for (a = 1; a <= nw; a++) for (b = 1; b <= ns; b++) {
            w = W[a]; s = S[b]; u = w SUBSEP s SUBSEP "umbra"; q = w SUBSEP s SUBSEP "qemu"
            t = w SUBSEP s SUBSEP "threaded"
            n = w SUBSEP "native" SUBSEP "native"
            if (!(u in status) && !(q in status) && !((n in status) && s == ((w == "getppid" || w == "pipe") ? "linux" : "bare-m"))) continue
            nat = (s == "linux" || s == "bare-m") && (n in status) ? cell(n, guest) : "-"
            if (w == "boot") { sn = "to init"; r = ratio(cell(u, wall), cell(q, wall)); th = cell(t, wall) }
            else { sn = sname[s]; r = ratio(cell(u, guest), cell(q, guest)); th = cell(t, guest) }
            c = chk(w, s); if (c ~ /^MISMATCH/) print "MISMATCH" > "/dev/stderr"
            printf "%-8s %-12s %10s %9s %10s %9s %11s %10s %10s  %s\n", w, sn, cell(u, guest), cell(u, wall), cell(q, guest), cell(q, wall), r, th, nat, c
        }
        printf "\nPaged S-mode (Sv39, 4 KiB pages) vs bare M-mode, guest time (+x%% = slower when paged):\n"
        printf "%-8s %10s %10s\n", "workload", "umbra", "qemu"
        for (a = 1; a <= 3; a++) {
            w = W[a]; line = sprintf("%-8s", w)
            split("umbra qemu", e, " ")
            for (i = 1; i <= 2; i++) {
                m = cell(w SUBSEP "bare-m" SUBSEP e[i], guest); p = cell(w SUBSEP "bare-sv39" SUBSEP e[i], guest)
                line = line sprintf(" %10s", (m ~ /^[0-9.]+$/ && p ~ /^[0-9.]+$/ && m + 0 > 0) ? sprintf("%+.1f%%", (p / m - 1) * 100) : "-")
            }
            print line
        }
        m = cell("intmix" SUBSEP "bare-m" SUBSEP "umbra", guest); p = cell("intmix" SUBSEP "bare-mixed" SUBSEP "umbra", guest)
        m2 = cell("intmix" SUBSEP "bare-m" SUBSEP "qemu", guest); p2 = cell("intmix" SUBSEP "bare-mixed" SUBSEP "qemu", guest)
        printf "\nintmix with its data in the page of its code vs bare M-mode (+x%% = slower): umbra %s, qemu %s\n",
               (m ~ /^[0-9.]+$/ && p ~ /^[0-9.]+$/ && m + 0 > 0) ? sprintf("%+.1f%%", (p / m - 1) * 100) : "-",
               (m2 ~ /^[0-9.]+$/ && p2 ~ /^[0-9.]+$/ && m2 + 0 > 0) ? sprintf("%+.1f%%", (p2 / m2 - 1) * 100) : "-"
        printf "\nchase permutation build (not in the chase time above), guest s:\n"
        printf "%-12s %10s %10s %10s\n", "setting", "umbra", "qemu", "native"
        for (b = 1; b <= ns; b++) {
            s = S[b]; n = "chase" SUBSEP "native" SUBSEP "native"
            if (s == "bare-mixed") continue
            printf "%-12s %10s %10s %10s\n", sname[s], cell("chase" SUBSEP s SUBSEP "umbra", setup),
                   cell("chase" SUBSEP s SUBSEP "qemu", setup), (s == "bare-sv39") ? "-" : cell(n, setup)
        }
    }
' "$results" 2> "$out/mismatch")"
[[ -s "$out/mismatch" ]] && mismatch=1

echo
echo "umbra bench ($set_name sizes: intmix $intmix_iters rounds, fib($fib_n), chase ${chase_mib} MiB x $chase_steps hops, getppid x $getppid_n, pipe x $pipe_n)"
echo "seconds = guest rdtime delta around the workload (10 MHz); (wall) = host seconds of the whole"
echo "run (bare metal: emulator start to exit; Linux: BEGIN to END line of that program; boot:"
echo "emulator start to init's first line, guest column = kernel uptime then). Logs: ${logs#"$root"/}"
echo
echo "$table"
if [[ ${#failures[@]} -gt 0 ]]; then
    echo
    echo "FAILED runs:"
    for f in "${failures[@]}"; do echo "  $f"; done
fi
for emu in umbra qemu; do
    log="$logs/$emu-linux.log"
    if [[ -f "$log" ]] && grep -q 'clock=syscall' "$log"; then
        echo
        echo "note: on $emu, Linux user mode may not read the time CSR (rdtime raised SIGILL), so the"
        echo "      Linux rows of $emu were timed with the clock_gettime system call instead."
    fi
done
[[ $mismatch -eq 0 ]] || echo "CHECKSUM MISMATCH: see the check column"
[[ ${#failures[@]} -eq 0 && $mismatch -eq 0 ]]
