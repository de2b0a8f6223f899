#!/usr/bin/env bash
# A malicious guest kernel (tests/host/attack/attack.c: 2 harts, bare-metal S-mode) attacks
# every device and call of its VM - MMIO garbage, hostile virtio rings, a ring-rewriting race
# between its harts, random SBI calls and umbra hypercalls from S- and U-mode, timer and IPI
# storms, fences and console writes of any size - beside a well-behaved VM (good.c) under
# `umbra host`.  Asserts: umbra survives and answers its API throughout, the good VM's data
# stays intact, the attacker's read-only disk is unchanged and its read-write disk keeps its
# size, its devices still serve proper requests after a reset, and umbra exits 0 on `ctl stop`.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
umbra=${UMBRA_BIN:-build/umbra}
tmp=$(mktemp -d)
hostpid='' pollpid=''
cleanup() {
	[ -n "$pollpid" ] && kill "$pollpid" 2>/dev/null
	[ -n "$hostpid" ] && kill "$hostpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
. tests/host/lib.sh

cp "$umbra" "$tmp/umbra" || { echo "attack: 0 passed, 1 failed (no $umbra)"; exit 1; }
umbra=$tmp/umbra
for p in tests/host/attack/attack.c tests/host/hostile/good.c; do
	n=$(basename "$p" .c)
	guest/bare/build.sh "$tmp/$n.elf" "$p" || { echo "attack: 0 passed, 1 failed (cannot build $n)"; exit 1; }
done
head -c $((4 << 20)) /dev/urandom > "$tmp/rw.img"
head -c $((4 << 20)) /dev/urandom > "$tmp/ro.img"
ro_sum=$(sha256sum < "$tmp/ro.img")
cat > "$tmp/host.json" <<EOF
{ "host_mem": "128M", "api_socket": "api.sock",
  "vms": [
    { "name": "attacker", "mem": "64M", "cpus": 2, "kernel": "attack.elf", "console": "attack.log",
      "drives": [ { "file": "rw.img" }, { "file": "ro.img", "readonly": true } ] },
    { "name": "good", "mem": "32M", "reservation": "28M", "kernel": "good.elf", "console": "good.log" } ] }
EOF
"$umbra" host --config "$tmp/host.json" 2>"$tmp/host.log" &
hostpid=$!
sock=$tmp/api.sock
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
ctl() { timeout 5 "$umbra" ctl --socket "$sock" "$@" 2>>"$tmp/ctl.err"; }

# All along: the API must answer within 3 s.
poll() {
	while :; do
		local t0 rc
		t0=$(date +%s%N)
		timeout 3 "$umbra" ctl --socket "$sock" list >/dev/null 2>&1; rc=$?
		echo "$rc $((($(date +%s%N) - t0) / 1000000))"
		sleep 0.2
	done
}
poll > "$tmp/poll.txt" &
pollpid=$!

phases() { grep -ao 'ATTACK phase [0-9]' "$tmp/attack.log" 2>/dev/null | tail -n 1; }
for _ in $(seq 900); do
	grep -aq 'ATTACK: done' "$tmp/attack.log" 2>/dev/null && break
	kill -0 "$hostpid" 2>/dev/null || break
	sleep 0.1
done
if grep -aq 'ATTACK: done' "$tmp/attack.log"; then
	ok "the attacker went through all six phases"
else
	bad "attacker" "stopped at '$(phases)': $(grep -av 'ignored' "$tmp/host.log" | tail -n 2)"
fi
# The attacker's own checks: a line each ("PASS what" / "FAIL what: why"); the console also
# carries the garbage it wrote, so only whole lines that start so count.
while IFS= read -r l; do bad "attacker's check" "${l#FAIL }"; done < <(grep -a '^FAIL ' "$tmp/attack.log")
n=$(grep -ac '^PASS ' "$tmp/attack.log")
[ "$n" -ge 9 ] && ok "the attacker's $n checks of what still works passed" || bad "attacker's checks" "only $n passed"

for _ in $(seq 300); do grep -q '^GOOD: ' "$tmp/good.log" && break; sleep 0.1; done
res=$(grep '^GOOD: ' "$tmp/good.log")
grep -q '^GOOD: PASS' <<<"$res" && ok "the good VM's data stayed intact (${res#GOOD: PASS })" \
	|| bad "good VM" "${res:-no result}"

vm=$(ctl get attacker)
grep -q '"running":true' <<<"$vm" && ok "the attacker's VM still runs (its hart 1 spins)" || bad "attacker VM" "$vm"
kill "$pollpid" 2>/dev/null; wait "$pollpid" 2>/dev/null; pollpid=
polls=$(wc -l < "$tmp/poll.txt") downs=$(awk '$1 != 0' "$tmp/poll.txt" | wc -l)
slowest=$(awk '{ if ($2 > m) m = $2 } END { print m + 0 }' "$tmp/poll.txt")
[ "$polls" -ge 10 ] && [ "$downs" -eq 0 ] && ok "the API answered all $polls polls (slowest $slowest ms)" \
	|| bad "API" "$polls polls, $downs failed"

ctl stop attacker >/dev/null; ctl stop good >/dev/null
for _ in $(seq 150); do kill -0 "$hostpid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$hostpid" 2>/dev/null; then bad "host exit" "still running 15 s after ctl stop"; kill "$hostpid"; fi
wait "$hostpid"; rc=$?; hostpid=
[ "$rc" -eq 0 ] && ok "umbra host exits 0 after ctl stop" || bad "host exit" "status $rc: $(tail -n 3 "$tmp/host.log")"
if grep -qiE 'assert|sanitizer|runtime error|segmentation|aborted|panic' "$tmp/host.log"; then
	bad "host log" "$(grep -iE 'assert|sanitizer|runtime error|segmentation|aborted|panic' "$tmp/host.log" | head -n 2)"
else
	ok "no sanitizer report, assertion or panic in umbra's log"
fi
[ "$(sha256sum < "$tmp/ro.img")" = "$ro_sum" ] && ok "the read-only disk is unchanged" || bad "read-only disk" "changed"
[ "$(stat -c %s "$tmp/rw.img")" -eq $((4 << 20)) ] && ok "the read-write disk kept its size" \
	|| bad "read-write disk" "size $(stat -c %s "$tmp/rw.img")"
n=$(wc -l < "$tmp/host.log")
[ "$n" -le 200 ] && ok "umbra's warnings about the attacker are rate-limited ($n lines)" || bad "log flood" "$n lines"

mkdir -p build/host-attack && cp "$tmp"/*.log "$tmp"/poll.txt build/host-attack/ 2>/dev/null
echo "attack: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
