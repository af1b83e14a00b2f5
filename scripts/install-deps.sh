#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Installs the Debian 12 packages the demo and the tests need, if any is missing.
# usage: install-deps.sh [host|all]   (host: what the host build needs; all: also cross, QEMU and the toolchains label)
set -euo pipefail
host_packages=(cmake make g++ clang lld libgtest-dev catch2 binutils valgrind)
cross_packages=(qemu-system-x86 qemu-system-arm qemu-system-misc g++-aarch64-linux-gnu
                g++-riscv64-linux-gnu g++-arm-linux-gnueabihf clang-19 lld-19 llvm-19
                libclang-rt-14-dev libclang-rt-19-dev)
packages=("${host_packages[@]}")
[[ ${1:-all} == all ]] && packages+=("${cross_packages[@]}")

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "installing: ${missing[*]}"
sudo=()
[[ $(id -u) -ne 0 ]] && sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
