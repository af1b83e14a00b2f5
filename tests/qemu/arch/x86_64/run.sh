#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Boots an x86_64 test kernel on QEMU q35 with 4 CPUs, serial on stdout. Exits 0 only when the
# kernel reported pass through isa-debug-exit; non-zero on fail, crash or timeout.
# Usage: run.sh kernel.elf [extra QEMU arguments]; PERCPU_QEMU_TIMEOUT sets the limit (default 60 s).
set -euo pipefail
. "$(dirname "$0")/../../common/run-qemu.sh"
if [ $# -lt 1 ]; then
  echo "usage: $0 kernel.elf [qemu args...]" >&2
  exit 2
fi
kernel=$1
shift

# QEMU's -kernel loads multiboot images only as ELF32: the same image, relabelled. Every load
# (physical) address and the entry point are below 4 GiB; the link addresses of a higher-half
# kernel are not and lose their top half in the copy, but the loader never reads them: it copies
# each segment to its physical address. The debug sections are left out of the copy; debug with
# kernel.elf itself.
# OBJCOPY may name another objcopy (llvm-objcopy-19 works too).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"${OBJCOPY:-objcopy}" --strip-debug -O elf32-i386 "$kernel" "$work/kernel.elf32"

# isa-debug-exit makes QEMU exit with (value << 1) | 1: 33 is the kernel's pass. A triple fault
# with -no-reboot exits with 0, which counts as a failure.
run_qemu 33 qemu-system-x86_64 \
  -machine q35 -smp 4 -m 128M -accel tcg,thread=multi -nodefaults -no-reboot \
  -kernel "$work/kernel.elf32" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
  -display none -monitor none -serial stdio "$@"
