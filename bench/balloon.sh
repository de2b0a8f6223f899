#!/usr/bin/env bash
# umbra balloon benchmarks (issue 5): the balloon reclaim rate of umbra vs QEMU with the same
# Debian kernel and its stock virtio_balloon driver, and the time umbra's scheduler takes to move
# 256 MiB from an idle VM to a busy one. One table; see bench/README.md, "Balloon benchmarks".
#
#   bench/balloon.sh [--reps N] [--only LIST] [--mem MIB] [--reclaim MIB]
#                    [--move-mem MIB] [--write MIB] [--delay S] [--period-ms MS] [--step SIZE]
#                    [--append ARGS] [--poll-ms MS]
#
#   --reps N        runs of each measurement; the best is shown (default 3)
#   --only LIST     comma-separated subset of umbra,qemu,move (default: all three)
#   --mem MIB       guest RAM of the reclaim runs (default 1024)
#   --reclaim MIB   how much the balloon is asked to take (default 512)
#   --move-mem MIB  the move runs: host_mem and each of the two VMs' mem (default 1536)
#   --write MIB     what the busy VM writes (default 1024)
#   --delay S       seconds between the busy VM being ready and it starting to write (default 15)
#   --period-ms MS  scheduler.period_ms of the move runs (default: umbra's default, 500)
#   --step SIZE     scheduler.step of the move runs (default: umbra's default, "64M")
#   --append ARGS   more kernel command-line arguments for every guest (e.g. init_on_alloc=0)
#   --poll-ms MS    how often the reclaim runs read the balloon's size (default 100)
#
# Everything goes to build/bench/balloon/: the initramfs, a copy of the umbra binary, one
# directory per run (config, consoles, --trace-mem CSV, poll log) and results.tsv.
# Exit status 1 if a run failed (no balloon, guest data corrupted, timeout), 2 on bad usage.
# Environment: UMBRA (default build/umbra), QEMU (default qemu-system-riscv64), CROSS_CC
# (default riscv64-linux-gnu-gcc). Needs nothing beyond bash, coreutils and the two emulators:
# QEMU's monitor is driven through a pipe chardev (two FIFOs), umbra's through `umbra ctl`.
set -euo pipefail
export LC_ALL=C

die() { echo "balloon-bench: error: $*" >&2; exit 2; }
note() { echo "balloon-bench: $*" >&2; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

reps=3 only="umbra,qemu,move" mem=1024 reclaim=512 move_mem=1536 write=1024 delay=15
period_ms="" step="" extra="" poll_ms=100
while [[ $# -gt 0 ]]; do
    [[ "$1" == -h || "$1" == --help ]] && { sed -n '2,28p' "$0"; exit 0; }
    [[ $# -ge 2 ]] || die "$1 needs a value (try --help)"
    case "$1" in
        --reps) reps="$2" ;;
        --only) only="$2" ;;
        --mem) mem="$2" ;;
        --reclaim) reclaim="$2" ;;
        --move-mem) move_mem="$2" ;;
        --write) write="$2" ;;
        --delay) delay="$2" ;;
        --period-ms) period_ms="$2" ;;
        --step) step="$2" ;;
        --append) extra="$2" ;;
        --poll-ms) poll_ms="$2" ;;
        *) die "unknown argument '$1' (try --help)" ;;
    esac
    shift 2
done
for v in reps mem reclaim move_mem write delay poll_ms ${period_ms:+period_ms}; do
    [[ "${!v}" =~ ^[0-9]+$ && "${!v}" -gt 0 ]] || die "${v//_/-} must be a positive whole number"
done
[[ $reclaim -lt $mem ]] || die "--reclaim must be below --mem"
want() { [[ ",$only," == *",$1,"* ]]; }
for e in ${only//,/ }; do
    case "$e" in umbra|qemu|move) ;; *) die "--only: unknown measurement '$e'" ;; esac
done

out="$root/build/bench/balloon"
mkdir -p "$out"
cross="${CROSS_CC:-riscv64-linux-gnu-gcc}"
qemu="${QEMU:-qemu-system-riscv64}"
umbra_src="${UMBRA:-$root/build/umbra}"
command -v "$cross" >/dev/null || die "$cross not found (apt-get install gcc-riscv64-linux-gnu)"
want qemu && { command -v "$qemu" >/dev/null || die "$qemu not found (apt-get install qemu-system-misc)"; }
if want umbra || want move; then
    [[ -x "$umbra_src" ]] || die "$umbra_src not found: run make first (or set UMBRA)"
    cp "$umbra_src" "$out/umbra" # a rebuild during the runs must not change the binary under us
fi
umbra="$out/umbra"

# --- the guest: scripts/mkinitramfs.sh's image (virtio modules) with bench/balloon/init.c as /init
kernel="$("$root/scripts/fetch-linux.sh" | tail -n 1)/Image"
[[ -f "$kernel" ]] || die "no kernel Image (scripts/fetch-linux.sh failed?)"
"$cross" -std=c17 -Wall -Wextra -Werror -O2 -static -s -o "$out/init" "$here/balloon/init.c"
"$root/scripts/mkinitramfs.sh" "$out/initramfs.cpio" --mode test --add "$out/init:/init" \
    2>"$out/mkinitramfs.log" || { cat "$out/mkinitramfs.log" >&2; die "mkinitramfs failed"; }
initrd="$out/initramfs.cpio"

# --- helpers ------------------------------------------------------------------------------------
pids=()
cleanup() {
    local p
    for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
now_us() { local t="${EPOCHREALTIME//[.,]/}"; echo "$((10#$t))"; }
sleep_until() { # sleep_until US: until that EPOCHREALTIME (microseconds)
    local d=$(($1 - $(now_us)))
    [[ $d -gt 0 ]] && sleep "$((d / 1000000)).$(printf '%06d' $((d % 1000000)))"
    return 0
}
secs() { printf '%d.%03d' $(($1 / 1000000)) $(($1 % 1000000 / 1000)); } # microseconds -> s
field() { if [[ "$2" =~ \"$1\":([0-9]+) ]]; then echo "${BASH_REMATCH[1]}"; else echo 0; fi; }
rss_mib() { awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$1/status" 2>/dev/null || echo "?"; }
failures=()
failed() { failures+=("$1"); note "FAILED: $1"; }

# wait_ready LOG PID: until the guest prints BENCH-READY (0), dies or has no balloon (1); 180 s
wait_ready() {
    local end=$(($(now_us) + 180000000))
    while [[ $(now_us) -lt $end ]]; do
        grep -q '^BENCH-READY' "$1" 2>/dev/null && return 0
        grep -q '^BENCH-NO-BALLOON' "$1" 2>/dev/null && return 1
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# Every poll_ms: POLL_FN prints the balloon size in MiB; until it is >= goal. Prints the
# microseconds from the command to the first poll that saw it, or nothing on a timeout (60 s).
# Each poll is logged to $dir/poll.tsv (ms since the command, balloon MiB).
measure() { # measure DIR GOAL_MIB SEND_FN POLL_FN
    local dir="$1" goal="$2" t0 k=0 b t
    t0=$(now_us)
    "$3"
    : > "$dir/poll.tsv"
    while :; do
        k=$((k + 1))
        sleep_until $((t0 + k * poll_ms * 1000))
        b=$("$4") || return 0
        t=$(($(now_us) - t0))
        echo "$((t / 1000))	$b" >> "$dir/poll.tsv"
        [[ "$b" -ge "$goal" ]] && { echo "$t"; return 0; }
        [[ $t -gt 60000000 ]] && return 0
    done
}

declare -A best_us=()
record() { # record KIND REP MICROSECONDS EXTRA...: results.tsv, and the best per kind
    local kind="$1" rep="$2" us="$3"
    shift 3
    printf '%s\t%s\t%s\t%s\n' "$kind" "$rep" "$(secs "$us")" "$*" >> "$out/results.tsv"
    [[ -z "${best_us[$kind]:-}" || $us -lt ${best_us[$kind]} ]] && best_us[$kind]=$us
    return 0
}
rate() { awk -v m="$1" -v us="$2" 'BEGIN { printf "%.0f", m / (us / 1e6) }'; }

: > "$out/results.tsv"
append_idle="console=ttyS0 quiet${extra:+ $extra} bench.mode=idle bench.hold_s=600"
keep=$((mem - reclaim))

# --- umbra reclaim: one VM under `umbra host`, scheduler off, a manual target ------------------
umbra_rep() {
    local dir="$out/umbra-$1" pid
    rm -rf "$dir" && mkdir -p "$dir"
    cat > "$dir/host.json" <<EOF
{ "host_mem": "${mem}M", "api_socket": "api.sock",
  "scheduler": { "enabled": false, "period_ms": 20, "step": "${mem}M" },
  "vms": [ { "name": "vm", "mem": "${mem}M", "kernel": "$kernel", "initrd": "$initrd",
             "append": "$append_idle", "console": "vm.log" } ] }
EOF
    "$umbra" host --config "$dir/host.json" --trace-mem "$dir/trace.csv" 2>"$dir/host.err" &
    pid=$!
    pids+=("$pid")
    sock="$dir/api.sock"
    if ! wait_ready "$dir/vm.log" "$pid"; then
        failed "umbra run $1: the guest did not get ready (see ${dir#"$root"/}/vm.log)"
        kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
        return
    fi
    local before rss0 us after
    before=$("$umbra" ctl --socket "$sock" get vm)
    rss0=$(rss_mib "$pid")
    us=$(measure "$dir" "$reclaim" umbra_send umbra_poll)
    after=$("$umbra" ctl --socket "$sock" get vm)
    if [[ -n "$us" ]]; then
        record umbra "$1" "$us" "rss_mib=$rss0->$(rss_mib "$pid")" \
            "allocated_mib=$(($(field allocated_bytes "$before") >> 20))->$(($(field allocated_bytes "$after") >> 20))"
    else
        failed "umbra run $1: the balloon did not reach $reclaim MiB within 60 s (at $(($(field balloon_bytes "$after") >> 20)) MiB)"
    fi
    "$umbra" ctl --socket "$sock" stop vm >/dev/null 2>&1 || true
    wait "$pid" 2>/dev/null || true
}
umbra_send() { "$umbra" ctl --socket "$sock" set vm "target=${keep}M" >/dev/null; }
umbra_poll() {
    local r
    r=$("$umbra" ctl --socket "$sock" get vm) || return 1
    echo $(($(field balloon_bytes "$r") >> 20))
}

# --- QEMU reclaim: the same guest, the monitor's `balloon` command -----------------------------
qemu_rep() {
    local dir="$out/qemu-$1" pid
    rm -rf "$dir" && mkdir -p "$dir"
    mkfifo "$dir/mon.in" "$dir/mon.out"
    "$qemu" -M virt -m "${mem}M" -smp 1 -bios default -nodefaults -display none -no-reboot \
        -kernel "$kernel" -initrd "$initrd" -append "$append_idle" \
        -device virtio-balloon-device -serial "file:$dir/vm.log" \
        -chardev "pipe,id=mon0,path=$dir/mon" -mon chardev=mon0,mode=readline \
        2>"$dir/qemu.err" &
    pid=$!
    pids+=("$pid")
    exec {mon_w}<>"$dir/mon.in" {mon_r}<>"$dir/mon.out" # read-write: opening never blocks
    if ! wait_ready "$dir/vm.log" "$pid"; then
        failed "qemu run $1: the guest did not get ready (see ${dir#"$root"/}/vm.log)"
    else
        local rss0 us
        rss0=$(rss_mib "$pid")
        us=$(measure "$dir" "$reclaim" qemu_send qemu_poll)
        if [[ -n "$us" ]]; then
            record qemu "$1" "$us" "rss_mib=$rss0->$(rss_mib "$pid")"
        else
            failed "qemu run $1: the balloon did not reach $reclaim MiB within 60 s"
        fi
        echo quit >&"$mon_w"
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    exec {mon_w}>&- {mon_r}<&-
}
qemu_send() { echo "balloon $keep" >&"$mon_w"; }
qemu_poll() { # the balloon's size: guest RAM minus `info balloon`'s actual=
    local line
    echo "info balloon" >&"$mon_w"
    while read -r -t 5 line <&"$mon_r"; do
        [[ "$line" =~ actual=([0-9]+) ]] && { echo $((mem - BASH_REMATCH[1])); return 0; }
    done
    return 1
}

# --- the scheduler's move: two VMs on a budget the size of one ----------------------------------
declare -A move_best=()
move_rep() {
    local dir="$out/move-$1" pid sched=""
    rm -rf "$dir" && mkdir -p "$dir"
    [[ -n "$period_ms" ]] && sched="\"period_ms\": $period_ms"
    [[ -n "$step" ]] && sched="${sched:+$sched, }\"step\": \"$step\""
    cat > "$dir/host.json" <<EOF
{ "host_mem": "${move_mem}M", "api_socket": "api.sock", "scheduler": { $sched },
  "vms": [
    { "name": "idle", "mem": "${move_mem}M", "kernel": "$kernel", "initrd": "$initrd",
      "append": "$append_idle", "console": "idle.log" },
    { "name": "busy", "mem": "${move_mem}M", "kernel": "$kernel", "initrd": "$initrd",
      "append": "console=ttyS0 quiet${extra:+ $extra} bench.mode=busy bench.mem_mib=$write bench.delay_s=$delay bench.hold_s=20",
      "console": "busy.log" } ] }
EOF
    "$umbra" host --config "$dir/host.json" --trace-mem "$dir/trace.csv" 2>"$dir/host.err" &
    pid=$!
    pids+=("$pid")
    local sock="$dir/api.sock" end begin_ms="" h
    end=$(($(now_us) + (180 + delay + 120) * 1000000))
    # The start of writing in umbra host's clock (the trace's time_ms): polled every 50 ms.
    while kill -0 "$pid" 2>/dev/null && [[ $(now_us) -lt $end ]]; do
        if [[ -z "$begin_ms" ]] && grep -q '^BENCH-WRITE-BEGIN' "$dir/busy.log" 2>/dev/null; then
            h=$("$umbra" ctl --socket "$sock" host) && begin_ms=$(field uptime_ms "$h")
        fi
        grep -qE '^BENCH-(MEM|NO-BALLOON)' "$dir/busy.log" 2>/dev/null && break
        sleep 0.05
    done
    sleep 1 # one more scheduler period or two into the trace
    "$umbra" ctl --socket "$sock" stop idle >/dev/null 2>&1 || true
    "$umbra" ctl --socket "$sock" stop busy >/dev/null 2>&1 || true
    wait "$pid" 2>/dev/null || true
    if ! grep -q "^BENCH-MEM: PASS" "$dir/busy.log"; then
        failed "move run $1: $(grep -hE '^BENCH-(MEM|NO-BALLOON)' "$dir/busy.log" | head -n 1 || true) (see ${dir#"$root"/}/busy.log)"
        return
    fi
    [[ -n "$begin_ms" ]] || { failed "move run $1: the busy VM's start of writing was not seen"; return; }
    # From the trace's per-period figures: the values at the start of writing, then the first
    # period at which each has moved by 256 MiB, within 20 s (the busy VM runs on for 20 s after writing).
    local res
    res=$(awk -F, -v tb="$begin_ms" -v d=$((256 << 20)) '
        $3 == "figures" && $1 <= tb { a[$2] = $4; t[$2] = $5; b[$2] = $6 }
        $3 == "figures" && $1 > tb && $1 <= tb + 20000 {
            if ($2 == "busy" && !tt && $5 >= t["busy"] + d) tt = $1 - tb
            if ($2 == "busy" && !ta && $4 >= a["busy"] + d) ta = $1 - tb
            if ($2 == "busy" && !tg && $6 + d <= b["busy"]) tg = $1 - tb
            if ($2 == "idle" && !tr && $6 >= b["idle"] + d) tr = $1 - tb
            if ($2 == "busy" && $5 > maxt) maxt = $5
            if ($2 == "busy" && (minb == "" || $6 < minb)) minb = $6
        }
        $3 == "balloon_stall" && $1 > tb && $1 <= tb + 20000 { stall = stall " " $2 "@" ($1 - tb) "ms" }
        END {
            printf "%d %d %d %d %d %d %d %d %d %d|%s", tt, tr, tg, ta, t["busy"] / 1048576,
                b["idle"] / 1048576, b["busy"] / 1048576, maxt / 1048576, minb / 1048576,
                a["busy"] / 1048576, stall
        }' "$dir/trace.csv")
    local tt tr tg ta t0b b0i b0b maxt minb a0b stalls="${res#*|}"
    read -r tt tr tg ta t0b b0i b0b maxt minb a0b <<< "${res%%|*}"
    printf 'move\t%s\ttarget=%s\treclaimed=%s\tgiven=%s\tallocated=%s\tat_begin: busy target %s MiB, busy balloon %s MiB, idle balloon %s MiB, busy allocated %s MiB; busy target max %s MiB, busy balloon min %s MiB;%s\n' \
        "$1" "$tt" "$tr" "$tg" "$ta" "$t0b" "$b0b" "$b0i" "$a0b" "$maxt" "$minb" \
        "${stalls:+ stalled:$stalls}" >> "$out/results.tsv"
    [[ $b0b -gt $((move_mem / 2 + 64)) || $b0i -gt $((move_mem / 2 + 64)) || $b0b -lt $((move_mem / 2 - 96)) ]] &&
        note "move run $1: the initial split had not settled when writing began (busy balloon $b0b MiB, idle $b0i MiB; raise --delay)"
    if [[ $tt -eq 0 || $tr -eq 0 || $tg -eq 0 ]]; then
        failed "move run $1: 256 MiB did not move (busy target $t0b -> max $maxt MiB, busy balloon $b0b -> min $minb MiB)"
        return
    fi
    local moved=$((tr > tg ? tr : tg))
    if [[ -z "${move_best[moved]:-}" || $moved -lt ${move_best[moved]} ]]; then
        move_best=([moved]=$moved [target]=$tt [reclaimed]=$tr [given]=$tg [allocated]=$ta
                   [rep]=$1 [stalls]="$stalls")
    fi
}

# --- runs ---------------------------------------------------------------------------------------
for r in $(seq "$reps"); do
    want umbra && { note "umbra reclaim, run $r/$reps"; umbra_rep "$r"; }
    want qemu && { note "qemu reclaim, run $r/$reps"; qemu_rep "$r"; }
done
if want move; then
    for r in $(seq "$reps"); do note "umbra scheduler move, run $r/$reps"; move_rep "$r"; done
fi

# --- the table ------------------------------------------------------------------------------------
ms_s() { awk -v m="$1" 'BEGIN { printf "%.1f", m / 1000 }'; }
echo
if want umbra || want qemu; then
    echo "Balloon reclaim: $reclaim MiB from an idle $mem MiB guest (Linux $(sed -n 's/^kernel_release=//p' "$(dirname "$kernel")/manifest"), stock virtio_balloon), best of $reps, polled every $poll_ms ms"
    u="${best_us[umbra]:-}" q="${best_us[qemu]:-}"
    printf '  %-26s %10s %10s %12s\n' "" umbra qemu "umbra/qemu"
    printf '  %-26s %10s %10s %12s\n' "reclaim rate (MiB/s)" "${u:+$(rate "$reclaim" "$u")}" \
        "${q:+$(rate "$reclaim" "$q")}" \
        "$([[ -n "$u" && -n "$q" ]] && awk -v u="$u" -v q="$q" 'BEGIN { printf "%.2f", q / u }')"
    printf '  %-26s %10s %10s\n' "command to target (s)" "${u:+$(secs "$u")}" "${q:+$(secs "$q")}"
fi
if want move; then
    echo "Scheduler move: idle -> busy VM, umbra host, 2 x $move_mem MiB on host_mem $move_mem MiB, the busy VM writes $write MiB, scheduler period ${period_ms:-500} ms, step ${step:-64M}; best of $reps"
    if [[ -n "${move_best[moved]:-}" ]]; then
        printf '  %-44s %6s s\n' "256 MiB moved (both balloons below)" "$(ms_s "${move_best[moved]}")"
        printf '  %-44s %6s s\n' "  busy VM's target +256 MiB" "$(ms_s "${move_best[target]}")"
        printf '  %-44s %6s s\n' "  idle VM's balloon +256 MiB (reclaimed)" "$(ms_s "${move_best[reclaimed]}")"
        printf '  %-44s %6s s\n' "  busy VM's balloon -256 MiB (handed over)" "$(ms_s "${move_best[given]}")"
        printf '  %-44s %6s s\n' "  busy VM's allocated frames +256 MiB" "$(ms_s "${move_best[allocated]}")"
        [[ -n "${move_best[stalls]}" ]] && echo "  (run ${move_best[rep]}: balloon stall events after the start:${move_best[stalls]})"
    else
        echo "  no run moved 256 MiB"
    fi
    echo "  (times from the busy VM's start of writing, at the scheduler period's resolution)"
fi
echo "Every run: ${out#"$root"/}/results.tsv"
if [[ ${#failures[@]} -gt 0 ]]; then
    printf 'FAILED: %s\n' "${failures[@]}"
    exit 1
fi
