#!/usr/bin/env bash
# The hostile-guest test (issue 5): a bare-metal S-mode guest (tests/host/hostile/hostile.c)
# attacks the virtio balloon and the balloon-application hypercalls while a well-behaved VM
# (good.c) checks 26 MiB of its own data beside it, under `umbra host` on a 32 MiB budget.
# Asserts: umbra does not crash (`umbra host` exits 0 after `ctl stop`), the good VM's data
# stays intact, the API answers throughout, the hostile VM's figures stay sane (allocated,
# balloon and active never above its size), umbra counts its balloon as it should at each of
# the guest's checkpoints, and a driver that never answers its target is reported stalled.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
umbra=${UMBRA_BIN:-build/umbra}
src=tests/host/hostile
tmp=$(mktemp -d)
hostpid='' pollpid=''
cleanup() {
	[ -n "$pollpid" ] && kill "$pollpid" 2>/dev/null
	[ -n "$hostpid" ] && kill "$hostpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
. tests/host/lib.sh
# A hostile guest may get umbra to print numbers beyond 2^63: compare them in awk.
le() { awk -v a="${1:-x}" -v b="$2" 'BEGIN { exit !(a ~ /^[0-9]+$/ && a + 0 <= b + 0) }'; }
vm_of() { sed 's/},{/}\n{/g' <<<"$2" | grep "\"name\":\"$1\""; }

# One copy of the binary for the whole run, so that a rebuild meanwhile cannot disturb it.
cp "$umbra" "$tmp/umbra" || { echo "hostile: 0 passed, 1 failed (no $umbra)"; exit 1; }
umbra=$tmp/umbra
for p in hostile good; do
	if ! guest/bare/build.sh "$tmp/$p.elf" "$src/$p.c"; then
		echo "hostile: 0 passed, 1 failed (cannot build $p.elf)"
		exit 1
	fi
done

size=$((32 << 20))
cat > "$tmp/host.json" <<EOF
{ "host_mem": "32M", "api_socket": "api.sock",
  "scheduler": { "period_ms": 100, "stall_ms": 1000, "step": "64M" },
  "vms": [
    { "name": "hostile", "mem": "32M", "kernel": "hostile.elf", "console": "hostile.log" },
    { "name": "good", "mem": "32M", "reservation": "28M", "kernel": "good.elf", "console": "good.log" } ] }
EOF
"$umbra" host --config "$tmp/host.json" 2>"$tmp/host.log" &
hostpid=$!
sock="$tmp/api.sock"
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
ctl() { timeout 5 "$umbra" ctl --socket "$sock" "$@" 2>>"$tmp/ctl.err"; }

# In the background, all along: the API must answer within 3 s; record the figures.
poll() {
	while :; do
		local t0 out rc h g
		t0=$(date +%s%N)
		out=$(timeout 3 "$umbra" ctl --socket "$sock" list 2>&1); rc=$?
		if [ "$rc" -ne 0 ]; then
			echo "down rc=$rc $out"
		else
			h=$(vm_of hostile "$out"); g=$(vm_of good "$out")
			echo "up $((($(date +%s%N) - t0) / 1000000)) $(field allocated_bytes "$h")" \
			     "$(field balloon_bytes "$h") $(field active_bytes "$h")" \
			     "$(field allocated_bytes "$g") $(field running "$h") $(field running "$g")"
		fi
		sleep 0.2
	done
}
poll > "$tmp/poll.txt" &
pollpid=$!

# The guest's checkpoints: "CKPT k BYTES what" means its balloon should now count BYTES; it
# waits until the balloon target moves to 3 MiB + 4 KiB (k odd) or 13 MiB + 4 KiB (k even).
ck_a=$(((3 << 20) + 4096)) ck_b=$(((13 << 20) + 4096))
k=1 deadline=$((SECONDS + 40))
while [ "$SECONDS" -lt "$deadline" ] && kill -0 "$hostpid" 2>/dev/null; do
	line=$(grep -m1 "^CKPT $k " "$tmp/hostile.log")
	if [ -z "$line" ]; then
		grep -q '^STALL' "$tmp/hostile.log" && break
		sleep 0.05
		continue
	fi
	read -r _ _ want what <<<"$line"
	sleep 0.35 # two scheduler periods: the figures are a snapshot
	vm=$(ctl get hostile)
	got=$(field balloon_bytes "$vm") act=$(field active_bytes "$vm") alloc=$(field allocated_bytes "$vm")
	if [ "$got" = "$want" ]; then ok "checkpoint $k: $what"
	else bad "checkpoint $k: $what" "balloon_bytes ${got:-none}, expected $want (active_bytes $act)"; fi
	# No page is both backed and ballooned: allocated + balloon <= size.
	if ! le "$(awk -v a="${alloc:-x}" -v b="${got:-x}" 'BEGIN { printf "%.0f", a + b }')" "$size"; then
		bad "checkpoint $k: allocated + balloon <= size" "allocated_bytes $alloc + balloon_bytes $got > $size"
	fi
	[ "$k" -eq 14 ] && echo "info: after the lying statistics: guest_free_bytes $(field guest_free_bytes "$vm")," \
		"guest_available_bytes $(field guest_available_bytes "$vm"), active_bytes $act"
	goal=$((k % 2 ? ck_a : ck_b))
	ctl set hostile target=$((size - goal)) >/dev/null || bad "checkpoint $k" "the runner's target was refused"
	k=$((k + 1))
done
[ "$k" -ge 26 ] && ok "the hostile guest went through $((k - 1)) checkpoints" \
	|| bad "checkpoints" "only $((k - 1)) reached: $(grep -E '^(FAIL|HOSTILE)' "$tmp/hostile.log" | tail -n 3)"

# A driver that never answers: the balloon must be reported stalled.
if grep -q '^STALL' "$tmp/hostile.log"; then
	ctl set hostile target=32M >/dev/null
	sleep 0.5
	since=$(field next "$(ctl events)")
	ctl set hostile target=$((size - ck_b)) >/dev/null
	stalled=
	for _ in $(seq 30); do
		sleep 0.2
		grep -q '"kind":"balloon_stall","vm":"hostile"' <<<"$(ctl events "${since:-0}")" && { stalled=1; break; }
	done
	vm=$(ctl get hostile)
	[ -n "$stalled" ] && [ "$(field balloon_stalled "$vm")" = true ] \
		&& ok "a driver that never acknowledges its target is reported stalled" \
		|| bad "stall" "no balloon_stall event for hostile ($vm)"
	i1=$(field instret "$vm"); sleep 0.5; i2=$(field instret "$(ctl get hostile)")
	[ "${i2:-0}" -gt "${i1:-0}" ] && ok "the hostile VM still runs after its attacks" || bad "hostile runs" "instret $i1 -> $i2"
else
	bad "stall" "the hostile guest did not reach its last phase"
fi

# The good VM: its own work, checked round after round for 20 s.
for _ in $(seq 300); do grep -q '^GOOD: ' "$tmp/good.log" && break; sleep 0.1; done
res=$(grep '^GOOD: ' "$tmp/good.log")
grep -q '^GOOD: PASS' <<<"$res" && ok "the good VM's data stayed intact (${res#GOOD: PASS })" \
	|| bad "good VM" "${res:-no result}: $(tail -n 2 "$tmp/good.log")"

kill "$pollpid" 2>/dev/null; wait "$pollpid" 2>/dev/null; pollpid=
polls=$(grep -c '^up ' "$tmp/poll.txt") downs=$(grep -c '^down' "$tmp/poll.txt")
slowest=$(awk '/^up / { if ($2 > m) m = $2 } END { print m + 0 }' "$tmp/poll.txt")
[ "$polls" -ge 20 ] && [ "$downs" -eq 0 ] && ok "the API answered all $polls polls (slowest $slowest ms)" \
	|| bad "API" "$polls answers, $downs failures: $(grep -m1 '^down' "$tmp/poll.txt")"
max() { awk -v c="$1" '/^up / && $c ~ /^[0-9]+$/ { if ($c + 0 > m) { m = $c + 0; s = $c } } END { print (s == "" ? 0 : s) }' "$tmp/poll.txt"; }
for f in "3 allocated_bytes" "4 balloon_bytes" "5 active_bytes"; do
	m=$(max "${f% *}")
	le "$m" "$size" && ok "hostile ${f#* } never above its size (max $m)" || bad "hostile ${f#* }" "reached $m, size $size"
done
m=$(max 6); le "$m" "$size" && ok "good allocated_bytes never above its size (max $m)" || bad "good allocated_bytes" "reached $m"
awk '/^up / && ($7 != "true" || $8 != "true") { exit 1 }' "$tmp/poll.txt" && ok "both VMs ran throughout" \
	|| bad "running" "$(awk '/^up / && ($7 != "true" || $8 != "true")' "$tmp/poll.txt" | head -n 1)"

# Stop both; umbra must exit 0, without having logged more than the rate limit allows.
ctl stop hostile >/dev/null; ctl stop good >/dev/null
for _ in $(seq 150); do kill -0 "$hostpid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$hostpid" 2>/dev/null; then
	bad "host exit" "still running 15 s after both VMs were stopped"
	kill "$hostpid"
fi
wait "$hostpid"; rc=$?; hostpid=
[ "$rc" -eq 0 ] && ok "umbra host exits 0 after ctl stop" || bad "host exit" "status $rc: $(tail -n 3 "$tmp/host.log")"
if grep -qiE 'assert|sanitizer|runtime error|segmentation|aborted' "$tmp/host.log"; then
	bad "host log" "$(grep -iE 'assert|sanitizer|runtime error|segmentation|aborted' "$tmp/host.log" | head -n 2)"
fi
n=$(grep -c 'virtio-balloon@' "$tmp/host.log")
[ "$n" -le 20 ] && ok "balloon warnings are rate-limited ($n lines)" || bad "log flood" "$n balloon warnings"

# The hostile guest's own checks (PASS/FAIL lines), and that it finished them.
gp=$(grep -c '^PASS ' "$tmp/hostile.log")
while IFS= read -r l; do bad "hostile guest" "${l#FAIL }"; done < <(grep '^FAIL ' "$tmp/hostile.log")
grep -q '^HOSTILE: [0-9]* passed' "$tmp/hostile.log" && ok "the hostile guest finished ($gp checks of its own passed)" \
	|| bad "hostile guest" "did not finish: $(tail -n 2 "$tmp/hostile.log")"

mkdir -p build/host-hostile && cp "$tmp"/*.log "$tmp"/poll.txt "$tmp"/ctl.err build/host-hostile/ 2>/dev/null
echo "hostile: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
