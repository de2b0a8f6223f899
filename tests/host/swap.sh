#!/usr/bin/env bash
# Swap, the last resort: a VM without a balloon driver writes 24 MiB on a
# 12 MiB host budget.  Its balloon stalls, the scheduler caps its frames,
# pages go to the swap file and come back intact when the guest re-reads
# them (the guest checks every word and reports through the test device).
set -uo pipefail
cd "$(dirname "$0")/../.."
umbra=${UMBRA_BIN:-build/umbra}
tmp=$(mktemp -d)
hostpid=
cleanup() { [ -n "$hostpid" ] && kill "$hostpid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
. tests/host/lib.sh

# Write 24 MiB, sleep ~3 s of guest time, verify all, report (tests/host/fill.S).
riscv64-linux-gnu-gcc -nostdlib -nostartfiles -static -march=rv64gc -mabi=lp64d -DFILL_MIB=24 \
	-Wl,-Ttext-segment=0x80000000 -Wl,--build-id=none -o "$tmp/swap.elf" tests/host/fill.S
cat > "$tmp/host.json" <<EOF
{ "host_mem": "12M", "api_socket": "api.sock",
  "scheduler": { "period_ms": 100, "stall_ms": 300 },
  "vms": [ { "name": "big", "mem": "64M", "kernel": "swap.elf", "firmware": "none" } ] }
EOF
"$umbra" host --config "$tmp/host.json" 2>"$tmp/host.log" &
hostpid=$!
sock="$tmp/api.sock"
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
max_swapped=0 min_capped=999999999999 since=0
for _ in $(seq 100); do
	out=$("$umbra" ctl --socket "$sock" get big 2>/dev/null) || break
	ev=$("$umbra" ctl --socket "$sock" events "$since" 2>/dev/null) && {
		sed 's/},{/}\n{/g' <<<"$ev" >> "$tmp/events.txt"
		since=$(field next "$ev"); since=${since:-0}
	}
	s=$(field swapped_bytes "$out"); a=$(field allocated_bytes "$out")
	[ "${s:-0}" -gt "$max_swapped" ] && max_swapped=$s
	[ "${s:-0}" -gt 0 ] && [ "${a:-0}" -lt "$min_capped" ] && min_capped=$a
	sleep 0.1
done
wait "$hostpid"; rc=$?; hostpid=
if [ "$rc" -eq 0 ]; then ok "the guest verified all 24 MiB after swapping"; else bad "guest result" "exit $rc: $(tail -3 "$tmp/host.log")"; fi
if [ "$max_swapped" -ge $((4 << 20)) ]; then ok "up to $((max_swapped >> 20)) MiB were in the swap file"; else bad "swap" "$max_swapped bytes swapped"; fi
if [ "$min_capped" -le $((14 << 20)) ]; then ok "under the cap the VM held $((min_capped >> 20)) MiB (budget 12 MiB)"; else bad "cap" "$((min_capped >> 20)) MiB held while swapping"; fi
for k in swap_cap swap_out swap_in; do
	n=$(grep -c "\"kind\":\"$k\",\"vm\":\"big\"" "$tmp/events.txt" 2>/dev/null)
	if [ "${n:-0}" -ge 1 ]; then ok "the API reported $k ($n events)"; else bad "events" "no $k event for big"; fi
done
out=$(grep -o '"kind":"swap_out","vm":"big","value":[0-9]*' "$tmp/events.txt" | awk -F: '{ s += $NF } END { print s + 0 }')
[ "$out" -ge 1024 ] && ok "swap_out events count $out pages written" || bad "swap_out" "events count only $out pages"
echo "swap: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
