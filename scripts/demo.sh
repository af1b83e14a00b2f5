#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Shows the library at work: installs what it needs, runs the Linux user-space example, then
# boots the example kernel (examples/kernel) with 4 CPUs on every architecture under QEMU and
# prints what each CPU saw, and the instruction counts of the accessors in that build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PERCPU_BUILD_DIR:-$root/build}/demo
"$root/scripts/install-deps.sh" all

cmake -S "$root" -B "$build/host" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$build/host" --target percpu_host_demo -j "$(nproc)" > /dev/null
echo "== Linux user space, x86_64: four threads play four CPUs (GS base set with arch_prctl)"
"$build/host/examples/percpu_host_demo"
echo

# arch, toolchain, run.sh arguments, objdump, compiler and flags for the instruction counts
targets=(
  "x86_64|x86_64-gcc||objdump|g++ -mcmodel=kernel -mno-red-zone -DPERCPU_X86_LINUX_USER=0"
  "aarch64|aarch64-gcc|1|aarch64-linux-gnu-objdump|aarch64-linux-gnu-g++ -mno-outline-atomics"
  "riscv64|riscv64-gcc||riscv64-linux-gnu-objdump|riscv64-linux-gnu-g++ -march=rv64gc -mabi=lp64d -mcmodel=medany"
  "loongarch64|loongarch64-clang||llvm-objdump-19|clang++-19 --target=loongarch64-unknown-elf -march=loongarch64"
  "armv7|armv7-gcc||arm-linux-gnueabihf-objdump|arm-linux-gnueabihf-g++ -mcpu=cortex-a15 -marm -mfloat-abi=soft"
)
summary=()
for target in "${targets[@]}"; do
  IFS='|' read -r arch toolchain run_args objdump compiler <<< "$target"
  [[ -f "$root/tests/qemu/arch/$arch/arch.cmake" ]] || continue
  echo "== $arch: example kernel, 4 CPUs, .percpu template at VMA 0 ($toolchain)"
  cmake -S "$root/tests/qemu" -B "$build/$arch" -DPERCPU_ARCH="$arch" -DPERCPU_TEST_BODY=example \
    -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/$toolchain.cmake" > /dev/null
  cmake --build "$build/$arch" > /dev/null
  start=$(date +%s%N)
  # shellcheck disable=SC2086 # run_args is empty or one word
  "$root/tests/qemu/arch/$arch/run.sh" "$build/$arch/kernel.elf" $run_args 2>&1 | grep -v '^run.sh: PASS'
  elapsed_ms=$((($(date +%s%N) - start) / 1000000))
  # shellcheck disable=SC2086 # compiler is a command with flags
  counts=$("$root/scripts/check-codegen.sh" --print "$objdump" -- $compiler -fno-pic -ffreestanding \
    -nostdinc++ -DPERCPU_ZERO_VMA=1)
  width=u64
  [[ $arch == armv7 ]] && width=u32
  count() { awk -v f="$1_$width" '$1 == f { print $2 }' <<< "$counts"; }
  summary+=("$(printf '%-12s %8s %10s %10s %10s %10s %8s' "$arch" "$(count read_hot)" \
    "$(count read_normal)" "$(count write_normal)" "$(count add_normal)" "$(count ptr_normal)" \
    "${elapsed_ms}")")
done

echo "== Instructions per accessor (-O2, template at VMA 0; 64-bit variable, 32-bit on armv7;"
echo "   read_hot: PERCPU_DEFINE_HOT; the others: PERCPU_DEFINE) and QEMU boot-to-exit time"
printf '%-12s %8s %10s %10s %10s %10s %8s\n' arch read_hot read write add_current current_ptr "boot ms"
printf '%s\n' "${summary[@]}"
