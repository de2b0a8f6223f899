#!/usr/bin/env bash
# Two Linux VMs (Debian's stock kernel) on a host budget below the sum of
# their memory: both start idle, then one writes a large buffer.  The
# scheduler must move memory to the busy VM through the idle VM's balloon;
# both VMs' data must come through intact; the host's resident memory must
# follow what the guests hold.
#   balloon-linux.sh [virtio|app|three]: the balloon is the stock virtio_balloon
#   driver (default) or umbra's balloon application (guest/balloon/app.c);
#   three: two idle VMs, one with each, beside the busy one.
set -uo pipefail
cd "$(dirname "$0")/../.."
umbra=${UMBRA_BIN:-build/umbra}
cache=$(scripts/fetch-linux.sh | tail -n 1)
tmp=$(mktemp -d)
hostpid=
cleanup() { [ -n "$hostpid" ] && kill "$hostpid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
keep_logs() { cp "$tmp"/*.log build/ 2>/dev/null; }
pass=0 fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
field() { grep -o "\"$1\":[0-9]*" <<<"$2" | head -n 1 | cut -d: -f2; }

kind=${1:-virtio}
case $kind in
virtio|app|three) ;;
*) echo "usage: $0 [virtio|app|three]" >&2; exit 2 ;;
esac
extra=()
if [ "$kind" != virtio ]; then
	riscv64-linux-gnu-gcc -std=gnu17 -Wall -Wextra -Werror -O2 -static -Iinclude -o "$tmp/umbra-balloon" \
		guest/balloon/app.c || { echo "0 passed, 1 failed"; exit 1; }
	extra=(--add "$tmp/umbra-balloon:/bin/umbra-balloon")
fi
scripts/mkinitramfs.sh "$tmp/initramfs.cpio" --mode test "${extra[@]}" >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
# idle_vm NAME virtio|app: a VM that holds nothing for 45 s, ballooned by the driver or the application.
idle_vm() {
	local app_append='' app_config=''
	[ "$2" = app ] && app_append=' umbra.balloon_app=1' app_config='"balloon": "app", '
	cat <<EOF
    { "name": "$1", "mem": "512M", "kernel": "$cache/Image", "initrd": "initramfs.cpio",
      "append": "console=ttyS0 quiet umbra.mode=mem umbra.mem_mib=0 umbra.hold_s=45$app_append",
      ${app_config}"console": "$1.log" },
EOF
}
# Two VMs on 640 MiB; three (the driver, the application and the busy VM) on 768 MiB.
case $kind in
virtio) idles=(idle); budget=640; vms=$(idle_vm idle virtio) ;;
app) idles=(idle); budget=640; vms=$(idle_vm idle app) ;;
three) idles=(idle idle2); budget=768; vms="$(idle_vm idle virtio)
$(idle_vm idle2 app)" ;;
esac
cat > "$tmp/host.json" <<EOF
{ "host_mem": "${budget}M", "api_socket": "api.sock",
  "scheduler": { "period_ms": 250, "step": "64M" },
  "vms": [
$vms
    { "name": "busy", "mem": "512M", "kernel": "$cache/Image", "initrd": "initramfs.cpio",
      "append": "console=ttyS0 quiet umbra.mode=mem umbra.mem_mib=320 umbra.delay_s=15 umbra.hold_s=15",
      "console": "busy.log" } ] }
EOF
"$umbra" host --config "$tmp/host.json" 2>"$tmp/host.log" &
hostpid=$!
sock="$tmp/api.sock"
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
ctl() { "$umbra" ctl --socket "$sock" "$@"; }

declare -A max_balloon
for v in "${idles[@]}"; do max_balloon[$v]=0; done
max_busy_target=0 max_total=0 max_rss=0
for t in $(seq 70); do
	sleep 1
	kill -0 "$hostpid" 2>/dev/null || break
	busy=$(ctl get busy 2>/dev/null) || break
	bt=$(field target_bytes "$busy"); bb=$(field balloon_bytes "$busy"); ba=$(field allocated_bytes "$busy")
	total=${ba:-0} line=''
	for v in "${idles[@]}"; do
		out=$(ctl get "$v" 2>/dev/null) || break 2
		ib=$(field balloon_bytes "$out"); ia=$(field allocated_bytes "$out")
		[ "${ib:-0}" -gt "${max_balloon[$v]}" ] && max_balloon[$v]=$ib
		total=$((total + ${ia:-0}))
		line+=$(printf '%s: alloc %4d MiB balloon %4d MiB | ' "$v" $((ia >> 20)) $((ib >> 20)))
	done
	rss=$(awk '/VmRSS/ {print $2 * 1024}' "/proc/$hostpid/status" 2>/dev/null || echo 0)
	[ "${bt:-0}" -gt "$max_busy_target" ] && max_busy_target=$bt
	[ "${rss:-0}" -gt "$max_rss" ] && max_rss=$rss
	[ "$total" -gt "$max_total" ] && max_total=$total
	printf 't=%2ds %sbusy: alloc %4d MiB balloon %4d MiB target %4d MiB | host RSS %4d MiB\n' \
		"$t" "$line" $((ba >> 20)) $((bb >> 20)) $((bt >> 20)) $((rss >> 20))
done
wait "$hostpid"; rc=$?; hostpid=
mkdir -p "build/host-test-$kind" && cp "$tmp"/*.log "build/host-test-$kind/" 2>/dev/null
grep -q "UMBRA-MEM: PASS 320 MiB intact" "$tmp/busy.log" && ok "busy VM: 320 MiB written and verified" \
	|| bad "busy VM" "$(grep -E 'UMBRA|Out of memory|Kernel panic' "$tmp/busy.log" | head -3)"
for v in "${idles[@]}"; do
	grep -q "UMBRA-MEM: PASS 0 MiB intact" "$tmp/$v.log" && ok "$v VM finished" \
		|| bad "$v VM" "$(grep -E 'UMBRA|panic' "$tmp/$v.log" | head -3)"
	[ "${max_balloon[$v]}" -ge $((128 << 20)) ] && ok "the $v VM's balloon took $((max_balloon[$v] >> 20)) MiB" \
		|| bad "$v balloon" "at most $((max_balloon[$v] >> 20)) MiB"
done
[ "$rc" -eq 0 ] && ok "host exit status 0" || bad "host exit" "rc $rc: $(tail -3 "$tmp/host.log")"
[ "$max_busy_target" -ge $((384 << 20)) ] && ok "the busy VM's target rose to $((max_busy_target >> 20)) MiB" \
	|| bad "busy target" "at most $((max_busy_target >> 20)) MiB"
[ "$max_total" -le $(((budget + 96) << 20)) ] && ok "guests held at most $((max_total >> 20)) MiB (budget $budget MiB)" \
	|| bad "budget" "guests held $((max_total >> 20)) MiB"
echo "host resident memory peaked at $((max_rss >> 20)) MiB"
if [ "$kind" != virtio ]; then
	v=${idles[-1]}
	grep -q "umbra-balloon: running" "$tmp/$v.log" && ok "the balloon application ran in the $v VM" \
		|| bad "balloon app" "did not start"
fi
echo "balloon-linux ($kind): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
