#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# Boots a riscv64 test kernel on QEMU virt with 4 harts, serial on stdout. Exits 0 only when the
# kernel reported pass through the SiFive test device; non-zero on fail, crash or timeout.
set -u
. "$(dirname "$0")/../../common/run-qemu.sh"
if [ $# -ne 1 ]; then
  echo "usage: $0 kernel.elf" >&2
  exit 2
fi
run_qemu 0 qemu-system-riscv64 \
  -machine virt -smp 4 -m 128M -bios none -kernel "$1" \
  -accel tcg,thread=multi -display none -monitor none -serial stdio
