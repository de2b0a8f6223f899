# lib.sh - what the host tests share; source it from the repository's root.
#   ok WHAT / bad WHAT WHY   count and print a check ("PASS what" / "FAIL what: why")
#   field NAME JSON          the first value of "NAME": in JSON (numbers, true/false)
#   wait_for SECONDS CMD...  runs CMD every 0.1 s until it succeeds; false after SECONDS
# shellcheck shell=bash
pass=0 fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
field() { grep -o "\"$1\":[0-9a-z]*" <<<"$2" | head -n 1 | cut -d: -f2; }
wait_for() {
	local i n=$(($1 * 10)); shift
	for ((i = 0; i < n; i++)); do "$@" && return 0; sleep 0.1; done
	return 1
}
