#!/usr/bin/env bash
# make install into a temporary DESTDIR with a PREFIX, then run the installed binary.
set -uo pipefail
cd "$(dirname "$0")/../.."
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
pass=0 fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
make -s install DESTDIR="$dest" PREFIX=/opt/umbra >/dev/null && ok "make install" || bad "make install"
[ -x "$dest/opt/umbra/bin/umbra" ] && ok "binary under PREFIX in DESTDIR" || bad "binary"
[ -f "$dest/opt/umbra/share/man/man1/umbra.1" ] && ok "man page" || bad "man page"
[ -f "$dest/opt/umbra/include/umbra/hypercall.h" ] && ok "ABI header for guest programs" || bad "header"
"$dest/opt/umbra/bin/umbra" --version | grep -q '^umbra ' && ok "the installed binary runs" || bad "installed binary"
"$dest/opt/umbra/bin/umbra" help | grep -q 'umbra host --config' && ok "umbra help" || bad "umbra help"
if command -v man >/dev/null; then
	MANWIDTH=80 man -l "$dest/opt/umbra/share/man/man1/umbra.1" 2>/dev/null | grep -q 'EXIT STATUS' \
		&& ok "umbra(1) renders" || bad "umbra(1) does not render"
fi
echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
