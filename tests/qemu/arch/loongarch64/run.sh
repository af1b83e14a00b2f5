#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# Boots a loongarch64 test kernel on QEMU virt with 4 CPUs, serial on stdout. Exits 0 only when the
# kernel reported pass through the ACPI GED sleep register; non-zero on fail (pvpanic), crash or
# timeout. PERCPU_QEMU_TIMEOUT sets the limit in seconds (default 60).
set -u
. "$(dirname "$0")/../../common/run-qemu.sh"
if [ $# -ne 1 ]; then
  echo "usage: $0 kernel.elf" >&2
  exit 2
fi
run_qemu 0 qemu-system-loongarch64 \
  -machine virt -smp 4 -m 1G -kernel "$1" -nic none \
  -device pvpanic-pci,addr=1f -action panic=exit-failure \
  -accel tcg,thread=multi -display none -monitor none -serial stdio
