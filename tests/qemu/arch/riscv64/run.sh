#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# Boots a riscv64 test kernel on QEMU virt with 4 harts, serial on stdout. Exits 0 only when the
# kernel reported pass through the SiFive test device; non-zero on fail, crash or timeout.
# PERCPU_QEMU_TIMEOUT sets the limit in seconds (default 60).
set -u
if [ $# -ne 1 ]; then
  echo "usage: $0 kernel.elf" >&2
  exit 2
fi
timeout -k 5 "${PERCPU_QEMU_TIMEOUT:-60}" qemu-system-riscv64 \
  -machine virt -smp 4 -m 128M -bios none -kernel "$1" \
  -accel tcg,thread=multi -display none -monitor none -serial stdio </dev/null
status=$?
case $status in
  0) echo "run.sh: PASS" >&2 ;;
  124) echo "run.sh: FAIL (timed out after ${PERCPU_QEMU_TIMEOUT:-60} s)" >&2 ;;
  *) echo "run.sh: FAIL (QEMU exit status $status)" >&2 ;;
esac
exit $status
