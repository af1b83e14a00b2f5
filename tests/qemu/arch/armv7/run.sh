#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# Boots an armv7-a test kernel on QEMU virt with 4 Cortex-A15 CPUs, serial on stdout. Exits 0 only
# when the kernel reported pass through semihosting; non-zero on fail, crash or timeout.
set -u
if [ $# -ne 1 ]; then
  echo "usage: $0 kernel.elf" >&2
  exit 2
fi
timeout "${PERCPU_QEMU_TIMEOUT:-60}" qemu-system-arm \
  -machine virt,gic-version=2 -cpu cortex-a15 -smp 4 -m 128M -kernel "$1" -nic none \
  -semihosting-config enable=on,target=native \
  -accel tcg,thread=multi -display none -monitor none -serial stdio </dev/null
status=$?
case $status in
  0) echo "run.sh: PASS" >&2 ;;
  124) echo "run.sh: FAIL (timed out after ${PERCPU_QEMU_TIMEOUT:-60} s)" >&2 ;;
  *) echo "run.sh: FAIL (QEMU exit status $status)" >&2 ;;
esac
exit $status
