#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# Boots an aarch64 test kernel on QEMU virt with 4 CPUs at EL1 or EL2 (el must match the build's
# PERCPU_EL), on a Cortex-A57 (Armv8.0) or another QEMU CPU model (max: one with LSE for a
# PERCPU_AARCH64_LSE kernel), serial on stdout. Exits 0 only when the kernel reported pass through semihosting;
# non-zero on fail, crash or timeout.
set -u
. "$(dirname "$0")/../../common/run-qemu.sh"
if [ $# -lt 1 ] || [ $# -gt 3 ]; then
  echo "usage: $0 kernel.elf [el: 1 (default) or 2] [cpu: cortex-a57 (default), max...]" >&2
  exit 2
fi
case ${2:-1} in
  1) machine=virt,gic-version=2 ;;
  # virtualization=on gives the CPUs EL2 and starts them there; QEMU's PSCI then answers SMC.
  2) machine=virt,gic-version=2,virtualization=on ;;
  *) echo "$0: el must be 1 or 2" >&2; exit 2 ;;
esac
run_qemu 0 qemu-system-aarch64 \
  -machine "$machine" -cpu "${3:-cortex-a57}" -smp 4 -m 128M -kernel "$1" -nic none \
  -semihosting-config enable=on,target=native \
  -accel tcg,thread=multi -display none -monitor none -serial stdio
