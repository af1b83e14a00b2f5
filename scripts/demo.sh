#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Shows the library at work: installs what it needs, runs the Linux user-space example, then
# boots the example kernel (examples/kernel) with 4 CPUs on every architecture under QEMU and
# prints what each CPU saw, each boot's verdict, and the instruction counts of the accessors.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PERCPU_BUILD_DIR:-$root/build}/demo
"$root/scripts/install-deps.sh" all

cmake -S "$root" -B "$build/host" -DCMAKE_BUILD_TYPE=Release -DPERCPU_BUILD_TESTS=OFF > /dev/null
cmake --build "$build/host" --target percpu_host_demo -j "$(nproc)" > /dev/null
echo "== Linux user space, x86_64: four threads play four CPUs (GS base set with arch_prctl)."
echo "   Each thread writes its number to its own copy of one per-CPU variable (id) and increments"
echo "   its own copy of another 1000 x (cpu + 1) times (events); then the main thread reads them."
"$build/host/examples/percpu_host_demo"
echo

cat << 'EOF'
== The example kernel (examples/kernel), booted with 4 CPUs under QEMU on each architecture.
   Every CPU points its per-CPU register at its own area (init_percpu_reg), then counts in its
   own copies of two per-CPU variables until its timer has interrupted it at least 10 times.
   CPU 0 then prints, for every CPU:
     register (raw)  what that CPU's per-CPU register holds (read_percpu_reg_raw): the area base
                     minus the address of the .percpu image (the "biased" register), so that
                     register + a variable's link address is that CPU's copy; aarch64 holds the
                     area base itself and adds the offset. With the image linked at VMA 0 its
                     address is 0, so the register equals the area base: the last boot links the
                     image at its load address to show the difference.
     area base       percpu_area_base(cpu): where that CPU's copies are
     work_done       a PERCPU_DEFINE variable its main loop incremented (at least 100000 x (cpu+1))
     ticks           a PERCPU_DEFINE_HOT variable its timer interrupt handler incremented
   and the verdict: PASS when every CPU's copies hold its own counts.

EOF

# arch, toolchain, placement, run.sh arguments, objdump, and the flags for the counts beyond the
# toolchain file's own (x86_64: the kernel code model, as the codegen test's kernel mode)
targets=(
  "x86_64|x86_64-gcc|zero||objdump|-mcmodel=kernel -mno-red-zone -DPERCPU_X86_LINUX_USER=0"
  "aarch64|aarch64-gcc|zero|1|aarch64-linux-gnu-objdump|"
  "riscv64|riscv64-gcc|zero||riscv64-linux-gnu-objdump|"
  "loongarch64|loongarch64-clang|zero||llvm-objdump-19|"
  "armv7|armv7-gcc|zero||arm-linux-gnueabihf-objdump|"
  "x86_64|x86_64-gcc|nonzero||objdump|-mcmodel=kernel -mno-red-zone -DPERCPU_X86_LINUX_USER=0"
)
summary=()
failures=0
for target in "${targets[@]}"; do
  IFS='|' read -r arch toolchain placement run_args objdump codegen_flags <<< "$target"
  [[ -f "$root/tests/qemu/arch/$arch/arch.cmake" ]] || continue
  if [[ $placement == zero ]]; then
    where="image at VMA 0"
    zero_vma=1
  else
    where="image at its load address"
    zero_vma=0
  fi
  echo "== $arch ($toolchain), $where"
  cmake -S "$root/tests/qemu" -B "$build/$arch-$placement" -DPERCPU_ARCH="$arch" \
    -DPERCPU_PLACEMENT="$placement" -DPERCPU_TEST_BODY=example \
    -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/$toolchain.cmake" > /dev/null
  cmake --build "$build/$arch-$placement" > /dev/null
  start=$(date +%s%N)
  verdict=PASS
  # run.sh prints the kernel's output, then its own verdict line on stderr.
  # shellcheck disable=SC2086 # run_args is empty or one word
  "$root/tests/qemu/arch/$arch/run.sh" "$build/$arch-$placement/kernel.elf" $run_args 2>&1 ||
    verdict=FAIL
  elapsed_ms=$((($(date +%s%N) - start) / 1000000))
  [[ $verdict == PASS ]] || failures=$((failures + 1))
  echo
  # The compiler, --target and flags the kernel was built with, from the toolchain file.
  compiler=$(cmake -DTOOLCHAIN="$toolchain" -P "$root/cmake/toolchain-command.cmake")
  # shellcheck disable=SC2086 # compiler is a command with flags, codegen_flags a list of flags
  counts=$("$root/scripts/check-codegen.sh" --print "$objdump" -- $compiler $codegen_flags -fno-pic \
    -ffreestanding -nostdinc++ -DPERCPU_ZERO_VMA=$zero_vma)
  width=u64
  [[ $arch == armv7 ]] && width=u32
  count() { awk -v f="$1_$width" '$1 == f { print $2 }' <<< "$counts"; }
  summary+=("$(printf '%-12s %-8s %-8s %8s %6s %6s %12s %12s %8s' "$arch" "$placement" "$verdict" \
    "$(count read_hot)" "$(count read_normal)" "$(count write_normal)" "$(count add_normal)" \
    "$(count ptr_normal)" "${elapsed_ms}")")
done

echo "== Summary: each boot's verdict, the instructions per accessor at -O2 (a 64-bit variable,"
echo "   32-bit on armv7; read_hot: PERCPU_DEFINE_HOT; the others: PERCPU_DEFINE) and the"
echo "   boot-to-exit time. placement zero: image at VMA 0; nonzero: at its load address."
echo "   The qemu tests (scripts/test.sh) check much more: every accessor, no update lost to an"
echo "   interrupt, higher-half and LTO kernels."
printf '%-12s %-8s %-8s %8s %6s %6s %12s %12s %8s\n' arch placement verdict read_hot read write \
  add_current current_ptr "boot ms"
printf '%s\n' "${summary[@]}"
[[ $failures -eq 0 ]]
