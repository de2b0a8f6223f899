#!/usr/bin/env bash
# The balloon application's bare-metal variant (guest/balloon/bare.c) under `umbra host`: the
# operator moves the VM's target down and up with `umbra ctl set`; the application must give
# and take pages so that umbra's balloon follows, umbra must take the frames (allocated memory
# stays low while the balloon is full), pages given back must read as zero, and the
# application's own 4 MiB of data must stay intact throughout.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
umbra=${UMBRA_BIN:-build/umbra}
tmp=$(mktemp -d)
hostpid=''
cleanup() { [ -n "$hostpid" ] && kill "$hostpid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
. tests/host/lib.sh

guest/bare/build.sh "$tmp/bare.elf" guest/balloon/bare.c || { echo "balloon-bare: 0 passed, 1 failed (build)"; exit 1; }
mib=$((1 << 20))
cat > "$tmp/host.json" <<EOF
{ "host_mem": "160M", "api_socket": "api.sock",
  "vms": [ { "name": "bare", "mem": "64M", "kernel": "bare.elf", "balloon": "app", "console": "bare.log" } ] }
EOF
"$umbra" host --config "$tmp/host.json" 2>"$tmp/host.log" &
hostpid=$!
sock=$tmp/api.sock
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
ctl() { timeout 5 "$umbra" ctl --socket "$sock" "$@" 2>>"$tmp/ctl.err"; }
for _ in $(seq 50); do grep -q 'balloon-bare: running' "$tmp/bare.log" 2>/dev/null && break; sleep 0.1; done
grep -q 'balloon-bare: running' "$tmp/bare.log" 2>/dev/null && ok "the application started" \
	|| bad "start" "$(cat "$tmp/bare.log" "$tmp/host.log" 2>/dev/null | tail -n 3)"

# step TARGET_MIB BALLOON_MIB: set the VM's target; within 10 s the balloon must hold BALLOON_MIB.
step() {
	local target=$1 want=$(($2 * mib)) got='' vm='' alloc
	ctl set bare target=$((target * mib)) >/dev/null || bad "target ${target} MiB" "refused"
	for _ in $(seq 100); do
		vm=$(ctl get bare); got=$(field balloon_bytes "$vm")
		[ "$got" = "$want" ] && break
		sleep 0.1
	done
	alloc=$(field allocated_bytes "$vm")
	if [ "$got" = "$want" ]; then
		ok "target $target MiB: the balloon holds $2 MiB"
	else
		bad "target $target MiB" "balloon_bytes ${got:-none}, expected $want"
	fi
	[ $((${alloc:-0} + ${got:-0})) -le $((64 * mib)) ] \
		&& ok "target $target MiB: allocated $((${alloc:-0} / mib)) MiB + balloon $(($2)) MiB <= 64 MiB" \
		|| bad "target $target MiB" "allocated_bytes $alloc + balloon_bytes $got above the VM's size"
	last_alloc=${alloc:-0}
}
step 40 24
[ "$last_alloc" -le $((12 * mib)) ] && ok "umbra holds no frames for the 24 MiB the application gave ($((last_alloc / mib)) MiB allocated)" \
	|| bad "frames" "allocated_bytes $last_alloc with 24 MiB ballooned"
step 60 4
step 16 48
step 64 0

sleep 0.3
ev=$(ctl events)
n=$(grep -o '"kind":"balloon","vm":"bare","value":[0-9]*' <<<"$ev" | wc -l)
grep -q "\"kind\":\"balloon\",\"vm\":\"bare\",\"value\":$((48 * mib))" <<<"$ev" && [ "$n" -ge 4 ] \
	&& ok "the API reported the balloon's moves ($n balloon events, one at 48 MiB)" \
	|| bad "events" "$n balloon events: $ev"
ctl stop bare >/dev/null
for _ in $(seq 100); do kill -0 "$hostpid" 2>/dev/null || break; sleep 0.1; done
wait "$hostpid"; rc=$?; hostpid=
[ "$rc" -eq 0 ] && ok "umbra host exits 0" || bad "host exit" "status $rc: $(tail -n 3 "$tmp/host.log")"
n=$(grep -c 'data ok' "$tmp/bare.log")
[ "$n" -ge 4 ] && ok "the application's data was intact at each of $n checks" \
	|| bad "data" "$n checks: $(tail -n 2 "$tmp/bare.log")"
grep -q 'FAIL\|took .* of' "$tmp/bare.log" && bad "application" "$(grep 'FAIL\|took .* of' "$tmp/bare.log" | head -n 2)" \
	|| ok "every page went out and came back scrubbed"
mkdir -p build/host-bare && cp "$tmp"/*.log build/host-bare/ 2>/dev/null
echo "balloon-bare: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
