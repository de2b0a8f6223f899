#!/usr/bin/env bash
# `umbra host` and `umbra ctl` with two bare-metal VMs: config validation,
# every API command, malformed requests, events, pause/resume and stop.
set -uo pipefail
cd "$(dirname "$0")/../.."
umbra=${UMBRA_BIN:-build/umbra}
tmp=$(mktemp -d)
hostpid=
cleanup() { [ -n "$hostpid" ] && kill "$hostpid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
pass=0 fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
expect() { # NAME PATTERN TEXT
	if grep -qE -- "$2" <<<"$3"; then ok "$1"; else bad "$1" "'$3' lacks /$2/"; fi
}

# A guest that idles in WFI with a timer tick, forever.
cat > "$tmp/idle.S" <<'ASM'
.globl _start
_start: la t0, trap; csrw mtvec, t0
	li t0, 0x80; csrs mie, t0; csrsi mstatus, 8
arm:	li t0, 0x200bff8; ld t1, 0(t0); li t2, 100000; add t1, t1, t2
	li t0, 0x2004000; sd t1, 0(t0)
1:	wfi; j 1b
.balign 4
trap:	j arm
ASM
riscv64-linux-gnu-gcc -nostdlib -nostartfiles -static -march=rv64gc -mabi=lp64d \
	-Wl,-Ttext-segment=0x80000000 -Wl,--build-id=none -o "$tmp/idle.elf" "$tmp/idle.S"

sock="$tmp/api.sock"
cat > "$tmp/host.json" <<EOF
{ "host_mem": "48M", "api_socket": "api.sock",
  "scheduler": { "period_ms": 100, "stall_ms": 300 },
  "vms": [
    { "name": "a", "mem": "32M", "reservation": "8M", "shares": 1000, "kernel": "idle.elf", "firmware": "none" },
    { "name": "b", "mem": "32M", "shares": 2000, "kernel": "idle.elf", "firmware": "none" } ] }
EOF

# Config errors name the file and the field.
conf_error() { # NAME JSON PATTERN
	printf '%s' "$2" > "$tmp/bad.json"
	local out rc
	out=$("$umbra" host --config "$tmp/bad.json" 2>&1); rc=$?
	if [ "$rc" -eq 125 ] && grep -qE -- "$3" <<<"$out"; then ok "config: $1"; else bad "config: $1" "exit $rc: $out"; fi
}
conf_error "not JSON" '{"host_mem": ' 'bad.json: cannot read it as JSON'
conf_error "unknown field" '{"host_mem":"1G","vms":[{"name":"a","kernel":"idle.elf","colour":1}]}' 'vms\[0\].colour: unknown field'
conf_error "bad size" '{"host_mem":"lots","vms":[]}' 'host_mem: not a size'
conf_error "no vms" '{"host_mem":"1G","vms":[]}' 'vms: missing or not a non-empty list'
conf_error "reservations" '{"host_mem":"16M","vms":[{"name":"a","mem":"32M","reservation":"20M","kernel":"idle.elf"}]}' 'host_mem: smaller than the sum of the reservations'
conf_error "limit" '{"host_mem":"1G","vms":[{"name":"a","mem":"32M","limit":"64M","kernel":"idle.elf"}]}' 'vms\[0\].limit: larger than mem'
conf_error "twice" '{"host_mem":"1G","vms":[{"name":"a","kernel":"idle.elf"},{"name":"a","kernel":"idle.elf"}]}' 'vms\[1\].name: used twice'
conf_error "missing kernel file" '{"host_mem":"1G","vms":[{"name":"a","kernel":"nope.elf","firmware":"none"}]}' "VM 'a': .*nope.elf: No such file"
conf_error "tax" '{"host_mem":"1G","scheduler":{"idle_tax":1.5},"vms":[{"name":"a","kernel":"idle.elf"}]}' 'scheduler.idle_tax: must be at least 0 and below 1'

"$umbra" host --config "$tmp/host.json" --trace-mem "$tmp/trace.csv" 2>"$tmp/host.log" &
hostpid=$!
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
ctl() { "$umbra" ctl --socket "$sock" "$@"; }

out=$(ctl list); expect "list names both VMs" '"name":"a".*"name":"b"' "$out"
expect "figures have unambiguous names" '"size_bytes":33554432.*"reservation_bytes":8388608.*"allocated_bytes"' "$out"
out=$(ctl host); expect "host figures" '"host_mem_bytes":50331648' "$out"
sleep 0.5
out=$(ctl get b); expect "scheduler set a target" '"target_bytes":[1-9]' "$out"
out=$(ctl set a reservation=12M shares=500); expect "set reservation and shares" '"reservation_bytes":12582912,.*"shares":500' "$out"
out=$(ctl set a target=20M); expect "manual target" '"target_bytes":20971520,"target_manual":true' "$out"
out=$(ctl set a target=auto); expect "target back to auto" '"target_manual":false' "$out"
out=$(ctl set a reservation=100M); rc=$?
if [ "$rc" -eq 1 ]; then expect "reservation above limit refused" 'reservation is larger than the limit' "$out"; else bad "refusal exit" "rc $rc"; fi
out=$(ctl set a colour=red); expect "unknown set field" "unknown field 'colour'" "$out"
out=$(ctl get nosuch); expect "unknown VM" "no VM named 'nosuch'" "$out"
out=$(ctl raw '{"cmd":"frobnicate"}'); expect "unknown command" "unknown command 'frobnicate'" "$out"
out=$(ctl raw 'not json at all'); expect "malformed request" '"ok":false,"error":"not JSON' "$out"
out=$(ctl raw '[1,2]'); expect "not an object" 'a request is a JSON object' "$out"
out=$(ctl raw '{"cmd":"get","vm":"a","extra":1}'); expect "unknown field in get" "unknown field 'extra'" "$out"
long=$(head -c 6000 /dev/zero | tr '\0' 'x')
out=$(ctl raw "$long"); expect "overlong request" 'request longer than 4096 bytes' "$out"
# umbra top, in a real terminal (tmux): the screen shows both VMs, sorting works, q quits.
if command -v tmux >/dev/null; then
	tmux kill-session -t umbra-top-test 2>/dev/null
	tmux new-session -d -s umbra-top-test -x 120 -y 30 "$umbra top --socket $sock"
	sleep 2.5
	screen=$(tmux capture-pane -p -t umbra-top-test)
	expect "top shows the VMs" '> a +(running|stalled) +32' "$screen"
	expect "top shows b and the columns" 'b +running' "$screen"
	expect "top header" 'TARGET +BALLOON +ALLOC +ACTIVE' "$screen"
	tmux send-keys -t umbra-top-test s; sleep 1.5
	screen=$(tmux capture-pane -p -t umbra-top-test)
	expect "top sorts" 'sorted by allocated' "$screen"
	tmux send-keys -t umbra-top-test q; sleep 0.5
	if tmux has-session -t umbra-top-test 2>/dev/null; then bad "top quits on q" "still running"; tmux kill-session -t umbra-top-test; else ok "top quits on q"; fi
else
	bad "top" "tmux is not installed (scripts/setup.sh installs it)"
fi

ctl pause a >/dev/null; sleep 0.2; out=$(ctl get a); expect "pause" '"paused":true' "$out"
i1=$(ctl get a | grep -o '"instret":[0-9]*'); sleep 0.3; i2=$(ctl get a | grep -o '"instret":[0-9]*')
if [ "$i1" = "$i2" ]; then ok "a paused VM does not run ($i1)"; else bad "paused VM runs" "$i1 -> $i2"; fi
ctl resume a >/dev/null; sleep 0.2; out=$(ctl get a); expect "resume" '"paused":false' "$out"
sleep 0.5
out=$(ctl events); expect "balloon events" '"kind":"balloon_target"' "$out"
expect "a balloon without a driver is marked stalled" '"kind":"balloon_stall"' "$out"
ctl stop a >/dev/null; ctl stop b >/dev/null
wait "$hostpid"; rc=$?; hostpid=
if [ "$rc" -eq 0 ]; then ok "host exits when its VMs stop"; else bad "host exit" "rc $rc: $(cat "$tmp/host.log")"; fi
out=$(ctl list 2>&1); rc=$?
if [ "$rc" -eq 125 ]; then ok "ctl without a host: exit 125"; else bad "ctl without host" "rc $rc"; fi

# The memory trace and its chart.
rows=$(grep -c ',figures,' "$tmp/trace.csv")
if [ "$rows" -ge 10 ] && grep -q ',balloon_target,' "$tmp/trace.csv"; then ok "trace: $rows figure rows and events"; else bad "trace" "$rows rows"; fi
if "$umbra" plot "$tmp/trace.csv" --out "$tmp/chart.svg" 2>/dev/null && grep -q '<svg' "$tmp/chart.svg" &&
   [ "$(stat -c %s "$tmp/chart.svg")" -gt 5000 ]; then ok "plot: an SVG chart of $(stat -c %s "$tmp/chart.svg") bytes"; else bad "plot" "no chart"; fi
out=$("$umbra" plot "$tmp/nope.csv" 2>&1); rc=$?
if [ "$rc" -eq 125 ] && grep -q 'nope.csv: No such file' <<<"$out"; then ok "plot: missing trace"; else bad "plot missing" "$rc $out"; fi

echo "host-api: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
