#!/usr/bin/env bash
# The gdb stub (--gdb): Debian's gdb-multiarch debugs a bare-metal guest
# (guest.c) on umbra: breakpoints (software and hardware), registers, CSRs,
# priv, single steps, memory reads and writes that change the guest's
# result, Sv39 virtual addresses, several harts, Ctrl-C, kill, detach, a
# Unix socket; then malformed packets on a raw connection and bad --gdb
# options.  Every umbra listens on a port of its own choosing (tcp::0) and
# every process runs under a timeout.  Prints "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
umbra=${UMBRA_BIN:-build/umbra}
gdb=${GDB:-gdb-multiarch}
tmp=$(mktemp -d)
upid=
cleanup() { [ -n "$upid" ] && kill "$upid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
pass=0 fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
expect() { # NAME PATTERN FILE
	if grep -qE -- "$2" "$3"; then ok "$1"; else bad "$1" "no /$2/ in $(basename "$3"):"; sed 's/^/    /' "$3"; fi
}

if ! command -v "$gdb" >/dev/null; then
	bad "gdb" "$gdb is not installed (scripts/setup.sh installs gdb-multiarch)"
	echo "$pass passed, $fail failed"
	exit 1
fi

riscv64-linux-gnu-gcc -g -O1 -nostdlib -nostartfiles -static -ffreestanding -fno-pic \
	-march=rv64gc -mabi=lp64d -mcmodel=medany -Wl,-Ttext-segment=0x80000000 -Wl,--no-relax \
	-Wl,--build-id=none -Wl,-e,_start -o "$tmp/g.elf" tests/debug/start.S tests/debug/guest.c ||
	{ echo "cannot build the guest"; exit 1; }

# start_umbra NAME ARGS...: umbra in the background; sets upid, and port for TCP.
start_umbra() {
	local name=$1; shift
	timeout 120 "$umbra" "$@" </dev/null >"$tmp/$name.out" 2>"$tmp/$name.err" &
	upid=$! port=
	for _ in $(seq 200); do
		if grep -q 'waiting for a debugger' "$tmp/$name.err" 2>/dev/null; then
			port=$(grep -oE 'tcp:127\.0\.0\.1:[0-9]+' "$tmp/$name.err" | head -1 | cut -d: -f3)
			return 0
		fi
		kill -0 "$upid" 2>/dev/null || break
		sleep 0.05
	done
	bad "$name" "umbra does not listen: $(cat "$tmp/$name.err")"
	return 1
}

# umbra_status NAME: waits (30 s at most) for umbra to exit and checks its status.
umbra_status() { # NAME WANTED
	local rc
	for _ in $(seq 300); do kill -0 "$upid" 2>/dev/null || break; sleep 0.1; done
	kill "$upid" 2>/dev/null
	wait "$upid"; rc=$?
	upid=
	if [ "$rc" -eq "$2" ]; then ok "$1: umbra exits $2"; else bad "$1" "umbra exited $rc, wanted $2 ($(cat "$tmp/$1.err"))"; fi
}

# run_gdb NAME TARGET GDB-COMMANDS...: a batch session; its output in $tmp/NAME.gdb.
run_gdb() {
	local name=$1 target=$2; shift 2
	local args=()
	for c in "$@"; do args+=(-ex "$c"); done
	timeout 60 "$gdb" -q -batch -nx -ex 'set architecture riscv:rv64' -ex 'set confirm off' \
		-ex "target remote $target" "${args[@]}" "$tmp/g.elf" >"$tmp/$name.gdb" 2>&1
}

# --- 1: M-mode: breakpoint, registers, CSRs, a step, memory written -------
if start_umbra mmode run --firmware none --kernel "$tmp/g.elf" --mem 16M --gdb tcp::0; then
	run_gdb mmode ":$port" 'break compute' 'continue' 'p $pc' 'p $a0' 'stepi' 'p $pc' \
		'x/4gx &data' 'set {long}&data[1] = 100' 'x/2gx &data' 'p/x $mstatus' 'p $priv' \
		'p/x $misa' 'p $mhartid' 'set $mscratch = 0x1234' 'p/x $mscratch' \
		'p/x *(long *)((long)&secret + 0x40000000)' 'info threads' \
		'set $m0 = $minstret' 'stepi' 'printf "retired %d\n", $minstret - $m0' \
		'set $m0 = $minstret' 'stepi 3' 'printf "retired %d\n", $minstret - $m0' 'continue'
	f=$tmp/mmode.gdb
	expect "breakpoint at a function" 'Breakpoint 1, compute \(x=x@entry=7\)' "$f"
	expect "pc at the breakpoint" '^\$1 = .* <compute>$' "$f"
	expect "argument register a0" '^\$2 = 7$' "$f"
	expect "stepi runs one instruction" '^\$3 = .* <compute\+(2|4)>$' "$f"
	expect "memory read (x/4gx)" '<data>:[[:space:]]+0x0000000000000001[[:space:]]+0x0000000000000002' "$f"
	expect "memory written" '<data>:[[:space:]]+0x0000000000000001[[:space:]]+0x0000000000000064' "$f"
	expect "CSR mstatus" '^\$4 = 0xa00000000$' "$f"
	expect "priv is M" '^\$5 = 3$' "$f"
	expect "CSR misa" '^\$6 = 0x800000000014112d$' "$f"
	expect "CSR mhartid" '^\$7 = 0$' "$f"
	expect "CSR written" '^\$8 = 0x1234$' "$f"
	expect "no translation in M-mode" 'Cannot access memory at address 0xc00' "$f"
	expect "one thread per hart" 'Thread 1 \(hart 0, M-mode\)' "$f"
	expect "stepi retires one instruction" '^retired 1$' "$f"
	expect "stepi 3 retires three" '^retired 3$' "$f"
	expect "the write decides the result" 'exited with code 0202' "$f"
	umbra_status mmode 130
fi

# --- 2: breakpoints in a loop, then S-mode with Sv39 ------------------------
if start_umbra sv39 run --firmware none --kernel "$tmp/g.elf" --mem 16M --gdb tcp::0; then
	run_gdb sv39 ":$port" 'break add' 'continue' 'p $a1' 'continue' 'p $a1' 'continue' 'p $a1' \
		'delete' 'break paged' 'continue' 'p $priv' 'p/x $satp' 'p/x *alias' \
		'set var *alias = 0x5ec7e9' 'p/x secret' 'x/gx 0x100000000' 'continue'
	f=$tmp/sv39.gdb
	expect "a breakpoint hit on every call" '^\$1 = 0$' "$f"
	expect "... second call" '^\$2 = 1$' "$f"
	expect "... third call" '^\$3 = 2$' "$f"
	expect "breakpoint in S-mode" 'Breakpoint 2, paged \(alias=alias@entry=0xc0001' "$f"
	expect "priv is S" '^\$4 = 1$' "$f"
	expect "satp is Sv39" '^\$5 = 0x80000000000800' "$f"
	expect "read through a virtual address" '^\$6 = 0x5ec7e7$' "$f"
	expect "write through a virtual address" '^\$7 = 0x5ec7e9$' "$f"
	expect "unmapped address" 'Cannot access memory at address 0x100000000' "$f"
	expect "the virtual write decides the result" 'exited with code 042' "$f"
	umbra_status sv39 34
fi

# --- 3: two harts, QEMU's spelling, hbreak, Ctrl-C, kill ---------------------
if start_umbra harts -bios none -kernel "$tmp/g.elf" -m 16 -smp 2 -gdb tcp::0 -S -nographic; then
	ready=$tmp/harts.ready
	timeout 60 "$gdb" -q -batch -nx -ex 'set architecture riscv:rv64' -ex 'set confirm off' \
		-ex "target remote :$port" -ex 'info threads' -ex 'hbreak compute' -ex 'continue' \
		-ex 'delete' -ex 'set var spin = 1' -ex "shell touch $ready" -ex 'continue' \
		-ex 'p $pc' -ex 'p counter > 0' -ex 'thread 2' -ex 'p $pc' -ex 'p $mhartid' \
		-ex 'kill' "$tmp/g.elf" >"$tmp/harts.gdb" 2>&1 &
	gpid=$!
	for _ in $(seq 200); do [ -e "$ready" ] && break; sleep 0.05; done
	sleep 1
	# One SIGINT to gdb itself (timeout(1) would pass it to the whole group, twice to gdb,
	# and a second Ctrl-C makes gdb give up the target): gdb sends 0x03 to the stub.
	kill -INT $(pgrep -P "$gpid") 2>/dev/null
	wait "$gpid"
	f=$tmp/harts.gdb
	expect "two harts, two threads" 'Thread 2 \(hart 1, M-mode\)' "$f"
	expect "hardware breakpoint" 'Thread 1 hit (Hardware assisted )?[Bb]reakpoint 1, compute' "$f"
	expect "Ctrl-C stops the guest" 'Thread 1 received signal SIGINT' "$f"
	expect "... in the spinning loop" '^\$1 = .* <main\+[0-9]+>$' "$f"
	expect "... which ran" '^\$2 = 1$' "$f"
	expect "second hart parked" '^\$3 = .* <park(\+[0-9]+)?>$' "$f"
	expect "second hart's mhartid" '^\$4 = 1$' "$f"
	expect "kill" 'Remote target\) killed' "$f"
	umbra_status harts 0
fi

# --- 4: a Unix socket; detach lets the guest run on ---------------------------
sock=$tmp/gdb.sock
if start_umbra unix run --firmware none --kernel "$tmp/g.elf" --mem 16M --gdb "unix:$sock"; then
	run_gdb unix "$sock" 'p $pc' 'detach'
	expect "unix socket" '^\$1 = .* <_start>$' "$tmp/unix.gdb"
	expect "detach" 'Remote target\) detached' "$tmp/unix.gdb"
	umbra_status unix 32
	[ ! -e "$sock" ] && ok "socket file removed" || bad "socket file" "$sock is still there"
fi

# --- 5: malformed packets on a raw connection --------------------------------
pkt() { # BODY: the framed packet
	local body=$1 sum=0 c i
	for ((i = 0; i < ${#body}; i++)); do printf -v c '%d' "'${body:i:1}"; sum=$(((sum + c) & 255)); done
	printf '$%s#%02x' "$body" "$sum"
}
le64() { # VALUE: as a register in a packet (little-endian hex)
	local i
	for i in 0 1 2 3 4 5 6 7; do printf '%02x' $((($1 >> 8 * i) & 255)); done
}
# rsp NAME PATTERN RAW: sends RAW, reads the answer (a NAK or a packet) and matches it.
rsp() {
	local got= chunk
	printf '%s' "$3" >&3
	for _ in $(seq 50); do
		chunk=
		IFS= read -r -t 0.1 -d '' chunk <&3
		got+=$chunk
		[[ "$got" =~ (^-$|\#[0-9a-f]{2}$) ]] && break
	done
	if [[ "$got" =~ $2 ]]; then ok "$1"; else bad "$1" "got '${got:0:80}'"; fi
}
if start_umbra raw run --firmware none --kernel "$tmp/g.elf" --mem 16M --gdb tcp::0; then
	if exec 3<>"/dev/tcp/127.0.0.1/$port"; then
		rsp "stop reason" '^\+\$T05thread:1;#' "$(pkt '?')"
		rsp "bad checksum is NAKed" '^-$' '$?#00'
		rsp "garbage checksum is NAKed" '^-$' '$?#zz'
		rsp "overlong packet is NAKed" '^-$' "$(pkt "m$(printf '0%.0s' $(seq 17000))")"
		rsp "unknown packet: empty reply" '^\+\$#00$' "$(pkt 'qNoSuchThing')"
		rsp "malformed m: error" '^\+\$E22#' "$(pkt 'm80000000,zz')"
		rsp "memory that is not RAM: E14" '^\+\$E14#' "$(pkt 'm0,8')"
		rsp "unknown thread: error" '^\+\$E22#' "$(pkt 'Hg9')"
		rsp "bad vCont: error" '^\+\$E22#' "$(pkt 'vCont;x')"
		rsp "bad register: error" '^\+\$E22#' "$(pkt 'pfff0')"
		rsp "watchpoints: not supported" '^\+\$#00$' "$(pkt 'Z2,80001250,8')"
		rsp "vCont actions" '^\+\$vCont;c;C;s;S#' "$(pkt 'vCont?')"
		rsp "target description" '^\+\$m<\?xml' "$(pkt 'qXfer:features:read:target.xml:0,40')"
		rsp "unknown annex: error" '^\+\$E00#' "$(pkt 'qXfer:features:read:x.xml:0,40')"
		rsp "priv register" '^\+\$0300000000000000#' "$(pkt 'p1041')"
		rsp "thread list" '^\+\$m1#' "$(pkt 'qfThreadInfo')"
		# The stub's own single step (gdb 13 steps RISC-V with temporary breakpoints).
		start=$(riscv64-linux-gnu-nm "$tmp/g.elf" | awk '$3 == "_start" { print $1 }')
		rsp "pc at the entry" "^\+\\\$$(le64 $((0x$start)))#" "$(pkt 'p20')"
		rsp "vCont;s steps" '^\+\$T05thread:1;#' "$(pkt 'vCont;s:1')"
		rsp "... one instruction" "^\+\\\$$(le64 $((0x$start + 4)))#" "$(pkt 'p20')"
		rsp "s steps" '^\+\$T05thread:1;#' "$(pkt 's')"
		rsp "... one more" "^\+\\\$$(le64 $((0x$start + 6)))#" "$(pkt 'p20')"
		# A second umbra cannot take the same port.
		out=$("$umbra" run --firmware none --kernel "$tmp/g.elf" --mem 16M --gdb "tcp::$port" 2>&1 </dev/null); rc=$?
		[ "$rc" -eq 125 ] && grep -q "cannot listen" <<<"$out" && ok "port in use: exit 125" ||
			bad "port in use" "exit $rc: $out"
		exec 3>&-
	else
		bad "raw connection" "cannot connect to port $port"
	fi
	umbra_status raw 32 # the debugger left: the guest ran on
fi

# --- 6: bad options -------------------------------------------------------------
: >"$tmp/plain"
bad_option() { # NAME PATTERN ARGS...
	local name=$1 pattern=$2 out rc; shift 2
	out=$(timeout 20 "$umbra" run --firmware none --kernel "$tmp/g.elf" --mem 16M "$@" 2>&1 </dev/null); rc=$?
	if [ "$rc" -eq 125 ] && grep -qE -- "$pattern" <<<"$out"; then ok "$name"; else bad "$name" "exit $rc: $out"; fi
}
bad_option "not loopback" "loopback" --gdb tcp:10.1.2.3:1234
bad_option "bad endpoint" "is not tcp::PORT" --gdb serial:/dev/ttyS0
bad_option "bad port" "not a port number" --gdb tcp::70000
bad_option "not a socket" "not a socket" --gdb "unix:$tmp/plain"
bad_option "-S without a debugger" "needs --gdb" -S

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
