#!/usr/bin/env bash
# Installs every Debian package umbra's build, tests, benchmarks and demo need.
# Run as root on Debian 12 (it uses apt-get); safe to run again.
set -euo pipefail

packages=(
	# build
	make gcc libc6-dev pkg-config libfdt-dev libssl-dev libjson-c-dev
	# guest programs (bare-metal tests, Linux init) and Linux image handling
	gcc-riscv64-linux-gnu libc6-dev-riscv64-cross cpio xz-utils zstd file
	# the reference machine for tests and benchmarks, and OpenSBI for --firmware FILE
	qemu-system-misc opensbi
	# tests; clang with libFuzzer and the sanitizer runtimes for tests/san and tests/fuzz
	gdb-multiarch tmux procps gnuplot-nox clang libclang-rt-14-dev
)

if [ "$(id -u)" -ne 0 ]; then
	echo "scripts/setup.sh: run as root (it installs Debian packages with apt-get)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${packages[@]}"
echo "setup: all packages installed"
