#!/usr/bin/env bash
# Resource faults (issue 7), each beside a well-behaved VM whose data must stay intact:
#  1. a disk image that shrinks to nothing and then vanishes under a guest reading it: the guest
#     gets I/O errors, umbra says which image and why, nothing else is disturbed;
#  2. a guest that storms itself with timer interrupts for ever: umbra keeps serving the API and
#     the other VMs; the operator can pause, resume and stop it;
#  3. a swap file that cannot grow (RLIMIT_FSIZE): umbra pauses the VM instead of losing its
#     data, says so, and once memory is free again the resumed VM finds all its data;
#  4. host memory that cannot be reserved for a VM (RLIMIT_AS): a clear error, exit status 125.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
umbra=${UMBRA_BIN:-build/umbra}
tmp=$(mktemp -d)
hostpid=''
cleanup() { [ -n "$hostpid" ] && kill "$hostpid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
. tests/host/lib.sh

cp "$umbra" "$tmp/umbra" || { echo "faults: 0 passed, 1 failed (no $umbra)"; exit 1; }
umbra=$tmp/umbra
for p in tests/host/faults/reader.c tests/host/faults/storm.c tests/host/hostile/good.c; do
	n=$(basename "$p" .c)
	guest/bare/build.sh "$tmp/$n.elf" "$p" || { echo "faults: 0 passed, 1 failed (cannot build $n)"; exit 1; }
done
sock=$tmp/api.sock
ctl() { timeout 5 "$umbra" ctl --socket "$sock" "$@" 2>>"$tmp/ctl.err"; }
start_host() {
	rm -f "$sock"
	"$umbra" host --config "$tmp/host.json" 2>"$tmp/host.log" &
	hostpid=$!
	wait_for 5 test -S "$sock"
}
# stop_host VM...: ctl stop each; umbra host must exit 0.
stop_host() {
	local v rc
	for v in "$@"; do ctl stop "$v" >/dev/null; done
	wait_for 15 bash -c "! kill -0 $hostpid 2>/dev/null" || { bad "host exit" "still running"; kill "$hostpid"; }
	wait "$hostpid"; rc=$?; hostpid=
	[ "$rc" -eq 0 ] && ok "umbra host exits 0" || bad "host exit" "status $rc: $(tail -n 3 "$tmp/host.log")"
}
good_passed() { grep -q '^GOOD: PASS' "$tmp/good.log" 2>/dev/null; }
check_good() {
	wait_for 40 good_passed && ok "the good VM's data stayed intact ($(grep -o 'PASS.*' "$tmp/good.log"))" \
		|| bad "good VM" "$(grep '^GOOD' "$tmp/good.log" || tail -n 1 "$tmp/good.log")"
}
last_reader() { grep '^reader: ok' "$tmp/reader.log" | tail -n 1; }

# --- 1 and 2: a vanishing disk and an interrupt storm -------------------------
head -c $((4 << 20)) /dev/urandom > "$tmp/disk.img"
cat > "$tmp/host.json" <<EOF
{ "host_mem": "128M", "api_socket": "api.sock",
  "vms": [
    { "name": "reader", "mem": "32M", "kernel": "reader.elf", "console": "reader.log",
      "drives": [ { "file": "disk.img" } ] },
    { "name": "storm", "mem": "32M", "kernel": "storm.elf", "console": "storm.log" },
    { "name": "good", "mem": "32M", "reservation": "28M", "kernel": "good.elf", "console": "good.log" } ] }
EOF
start_host || bad "start" "no API socket: $(tail -n 2 "$tmp/host.log")"
wait_for 10 bash -c "grep -q '^reader: ok [1-9][0-9]* ioerr 0' '$tmp/reader.log'" \
	&& ok "the reader reads its disk ($(last_reader))" || bad "reader" "$(tail -n 2 "$tmp/reader.log")"
truncate -s 0 "$tmp/disk.img"
ioerrs() { [ "$(last_reader | awk '{ print $5 }')" -gt "${1:-0}" ] 2>/dev/null; }
wait_for 5 ioerrs 0 && ok "after the image shrank to nothing the guest gets I/O errors ($(last_reader))" \
	|| bad "shrunk image" "$(last_reader)"
grep -q 'disk.img: read at byte [0-9]*: the image ends before it' "$tmp/host.log" \
	&& ok "umbra names the image and says why: $(grep -m1 -o 'disk.img: read at byte.*' "$tmp/host.log")" \
	|| bad "message" "$(grep -i 'blk' "$tmp/host.log" | head -n 2)"
rm -f "$tmp/disk.img"
n=$(last_reader | awk '{ print $5 }')
wait_for 5 ioerrs "$n" && ok "with the image deleted the guest still gets answers ($(last_reader))" \
	|| bad "deleted image" "$(last_reader)"
vm=$(ctl get reader)
[ "$(field running "$vm")" = true ] && ok "the reader's VM keeps running" || bad "reader VM" "$vm"

wait_for 10 grep -q '^storm: [0-9]' "$tmp/storm.log" \
	&& ok "the storm runs ($(grep '^storm: [0-9]' "$tmp/storm.log" | tail -n 1 | cut -d' ' -f2) interrupts)" \
	|| bad "storm" "$(tail -n 2 "$tmp/storm.log")"
t0=$(date +%s%N); ctl list >/dev/null; ms=$((($(date +%s%N) - t0) / 1000000))
[ "$ms" -lt 2000 ] && ok "the API answers during the storm (${ms} ms)" || bad "API" "${ms} ms"
ctl pause storm >/dev/null
storm_paused() { [ "$(field paused "$(ctl get storm)")" = true ]; }
wait_for 5 storm_paused
sleep 0.1 # the figures are published every 20 ms
i1=$(field instret "$(ctl get storm)"); sleep 0.5; vm=$(ctl get storm); i2=$(field instret "$vm")
[ "$(field paused "$vm")" = true ] && [ "$i1" = "$i2" ] && ok "the storming VM pauses (instret stays $i2)" \
	|| bad "pause" "paused $(field paused "$vm"), instret $i1 -> $i2"
ctl resume storm >/dev/null
sleep 0.5
i3=$(field instret "$(ctl get storm)")
[ "${i3:-0}" -gt "${i2:-0}" ] && ok "and resumes (instret $i2 -> $i3)" || bad "resume" "instret $i2 -> $i3"
ctl stop storm >/dev/null
stopped() { [ "$(field running "$(ctl get storm)")" = false ]; }
wait_for 3 stopped && ok "and stops on ctl stop" || bad "stop" "$(ctl get storm)"
check_good
stop_host reader good

# --- 3: the swap file cannot grow ----------------------------------------------
# Writes 16 MiB, waits ~3 s of guest time, verifies all, reports (tests/host/fill.S).
riscv64-linux-gnu-gcc -nostdlib -nostartfiles -static -march=rv64gc -mabi=lp64d -DFILL_MIB=16 \
	-Wl,-Ttext-segment=0x80000000 -Wl,--build-id=none -o "$tmp/big.elf" tests/host/fill.S
mkdir -p "$tmp/swap"
rm -f "$tmp/good.log"
cat > "$tmp/host.json" <<EOF
{ "host_mem": "40M", "api_socket": "api.sock",
  "scheduler": { "period_ms": 100, "stall_ms": 300 },
  "vms": [
    { "name": "big", "mem": "64M", "kernel": "big.elf", "firmware": "none", "swap_dir": "swap" },
    { "name": "good", "mem": "32M", "reservation": "28M", "kernel": "good.elf", "console": "good.log" } ] }
EOF
# Files may grow to 4 MiB; a write beyond fails with EFBIG instead of killing umbra.
(trap '' XFSZ; ulimit -f 4096; exec "$umbra" host --config "$tmp/host.json") 2>"$tmp/host.log" &
hostpid=$!
wait_for 5 test -S "$sock" || bad "start" "no API socket: $(tail -n 2 "$tmp/host.log")"
paused() { [ "$(field paused "$(ctl get big)")" = true ]; }
if wait_for 30 paused; then
	vm=$(ctl get big)
	ok "with its swap file full, umbra paused the VM (swapped $(($(field swapped_bytes "$vm") >> 20)) MiB, holds $(($(field allocated_bytes "$vm") >> 20)) MiB)"
else
	bad "swap full" "not paused: $(ctl get big)"
fi
n=$(grep -c "VM 'big': swap file full or failing (File too large); the VM is paused" "$tmp/host.log")
[ "$n" -eq 1 ] && ok "and said so, once: $(grep -m1 -o "VM 'big': swap file full.*" "$tmp/host.log")" \
	|| bad "message" "$n times: $(tail -n 2 "$tmp/host.log")"
paused_event() { grep -q '"kind":"vm_paused","vm":"big"' <<<"$(ctl events)"; }
wait_for 3 paused_event && ok "the API reported vm_paused" \
	|| bad "event" "no vm_paused for big: $(ctl events)"
check_good
ctl stop good >/dev/null
sleep 0.5 # the scheduler lifts the cap once the guests are back under the budget
ctl resume big >/dev/null
wait_for 30 bash -c "! kill -0 $hostpid 2>/dev/null"
wait "$hostpid"; rc=$?; hostpid=
[ "$rc" -eq 0 ] && ok "resumed, the VM verified all 16 MiB (the pages the swap file refused stayed in memory)" \
	|| bad "resume" "exit status $rc: $(tail -n 3 "$tmp/host.log")"

# --- 4: no host memory for a VM ---------------------------------------------------
sed 's/"mem": "64M"/"mem": "4G"/' "$tmp/host.json" > "$tmp/huge.json"
out=$( (ulimit -v 2000000; exec "$umbra" host --config "$tmp/huge.json") 2>&1); rc=$?
[ "$rc" -eq 125 ] && grep -q "VM 'big': cannot reserve 4294967296 bytes of guest RAM" <<<"$out" \
	&& ok "no host memory for a VM: exit 125 and '$out'" || bad "allocation failure" "status $rc: $out"

mkdir -p build/host-faults && cp "$tmp"/*.log build/host-faults/ 2>/dev/null
echo "faults: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
