#!/usr/bin/env bash
# make demo: umbra's mission in a few minutes, on Debian's stock riscv64 kernel.
#   1. two Linux VMs on a budget smaller than their memory: memory flows to the busy one;
#   2. a cloaked program whose secret root cannot read;
#   3. a protected page the kernel cannot write.
# Then `make shell` gives an interactive guest.
set -uo pipefail
cd "$(dirname "$0")/.."
umbra=build/umbra
cache=$(scripts/fetch-linux.sh | tail -n 1)
out=build/demo
mkdir -p "$out"
say() { printf '\n\033[1m%s\033[0m\n' "$*"; }
field() { grep -o "\"$1\":[0-9]*" <<<"$2" | head -n 1 | cut -d: -f2; }

say "1. Memory scheduling: two VMs of 512 MiB each on a 640 MiB host budget."
echo "   Both boot idle; after 12 s the 'busy' VM writes 320 MiB. umbra samples each VM's working set,"
echo "   gives memory to the one that uses it (shares and the idle-memory tax), and moves it there"
echo "   through the stock virtio_balloon driver in the 'idle' VM."
scripts/mkinitramfs.sh "$out/initramfs.cpio" --mode test >/dev/null 2>&1
cat > "$out/host.json" <<EOF
{ "host_mem": "640M", "api_socket": "api.sock", "scheduler": { "period_ms": 250, "step": "64M" },
  "vms": [
    { "name": "idle", "mem": "512M", "kernel": "$cache/Image", "initrd": "initramfs.cpio",
      "append": "console=ttyS0 quiet umbra.mode=mem umbra.mem_mib=0 umbra.hold_s=40", "console": "idle.log" },
    { "name": "busy", "mem": "512M", "kernel": "$cache/Image", "initrd": "initramfs.cpio",
      "append": "console=ttyS0 quiet umbra.mode=mem umbra.mem_mib=320 umbra.delay_s=12 umbra.hold_s=12",
      "console": "busy.log" } ] }
EOF
"$umbra" host --config "$out/host.json" --trace-mem "$out/memory.csv" 2>"$out/host.log" &
host=$!
for _ in $(seq 50); do [ -S "$out/api.sock" ] && break; sleep 0.1; done
printf '   %5s | %-34s | %-34s\n' "time" "idle: held / balloon (MiB)" "busy: held / target (MiB)"
for t in $(seq 2 2 60); do
	sleep 2
	kill -0 "$host" 2>/dev/null || break
	i=$("$umbra" ctl --socket "$out/api.sock" get idle 2>/dev/null) || break
	b=$("$umbra" ctl --socket "$out/api.sock" get busy 2>/dev/null) || break
	printf '   %4ss | %14d / %-17d | %14d / %-17d\n' "$t" $(($(field allocated_bytes "$i") >> 20)) \
		$(($(field balloon_bytes "$i") >> 20)) $(($(field allocated_bytes "$b") >> 20)) \
		$(($(field target_bytes "$b") >> 20))
done
wait "$host"
grep -h "UMBRA-MEM" "$out/busy.log" "$out/idle.log" | sed 's/^/   guest: /'
"$umbra" plot "$out/memory.csv" --out "$out/memory.svg" 2>/dev/null &&
	echo "   chart of the run: $out/memory.svg"

say "2. Cloaking: a program's memory is plaintext only to itself."
echo "   A cloaked program keeps a secret; root reads its memory through /proc/<pid>/mem."
tests/cloak/linux.sh >"$out/cloak.log" 2>&1
grep -E "spy:|secret:" "$out/cloak.log" | sed 's/^ */   /'

say "3. Program-directed protection: the kernel cannot write a page its program protected."
echo "   A program protects a buffer against the kernel's writes (a hypercall the kernel never sees),"
echo "   then asks the kernel to read() a file into it."
tests/protect/linux.sh >"$out/protect.log" 2>&1
grep -E "read\(\) into the page" "$out/protect.log" | head -n 1 | sed 's/^ */   /'
grep -E "buffer (is )?intact|still intact" "$out/protect.log" | head -n 1 | sed 's/^ */   /'

say "Done. For an interactive Linux guest: make shell (Ctrl-A x quits)."
