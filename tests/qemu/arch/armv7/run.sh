#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# Boots an armv7-a test kernel on QEMU virt with 4 Cortex-A15 CPUs, serial on stdout. Exits 0 only
# when the kernel reported pass through semihosting; non-zero on fail, crash or timeout.
set -u
. "$(dirname "$0")/../../common/run-qemu.sh"
if [ $# -ne 1 ]; then
  echo "usage: $0 kernel.elf" >&2
  exit 2
fi
run_qemu 0 qemu-system-arm \
  -machine virt,gic-version=2 -cpu cortex-a15 -smp 4 -m 128M -kernel "$1" -nic none \
  -semihosting-config enable=on,target=native \
  -accel tcg,thread=multi -display none -monitor none -serial stdio
