#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Ours against Linux and the Rust crate, from the object code of tests/codegen/peers.cpp.
# usage: codegen-peers.sh --check ARCH COMPILER PLACEMENT OBJDUMP -- COMPILER [FLAGS...]
#          checks tests/codegen/goals.txt for that target (a ctest in the codegen label)
#        codegen-peers.sh --table
#          prints BENCHMARKS.md's per-architecture tables: every accessor and tick(), instructions
#          and bytes, kernel flags, image at VMA 0 (tick() with the image elsewhere too; on
#          aarch64 also the read-modify-writes and tick() built for Armv8.1), with GCC and Clang
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

# counts OBJDUMP COMPILER [FLAGS...]: "name count bytes" per function of peers.cpp.
counts() {
  local objdump=$1
  shift
  "$root/scripts/check-codegen.sh" --source "$root/tests/codegen/peers.cpp" --print-bytes \
    "$objdump" -- "$@"
}

if [[ $1 == --check ]]; then
  arch=$2 compiler=$3 placement=$4 objdump=$5
  shift 5
  [[ $1 == -- ]] && shift
  counts "$objdump" "$@" | awk -v arch="$arch" -v compiler="$compiler" -v placement="$placement" '
    # A pattern is `*` or a comma-separated list of values.
    function matches(pattern, value) {
      return pattern == "*" || index("," pattern ",", "," value ",") > 0
    }
    # The file given first holds the counts, the second the goals.
    FNR == NR { count[$1] = $2; next }
    /^#/ || NF == 0 { next }
    !matches($1, arch) || !matches($2, compiler) || !matches($3, placement) { next }
    {
      bound = ""; names = ""
      n = split($6, bounds, ",")
      for (i = 1; i <= n; i++) {
        value = bounds[i] ~ /^[0-9]+$/ ? bounds[i] : count[bounds[i]]
        if (value == "") { printf "unknown function %s\n", bounds[i]; failed = 1; next }
        if (bound == "" || value + 0 < bound + 0) bound = value
        names = names (i > 1 ? ", " : "") bounds[i] (bounds[i] ~ /^[0-9]+$/ ? "" : " " value)
      }
      if (!($4 in count)) { printf "unknown function %s\n", $4; failed = 1; next }
      met = count[$4] <= $5 * bound
      pending = $7 == "pending"
      printf "%-8s %s %s <= %s x min(%s)%s\n",
        met ? "met" : "not met", $4, count[$4], $5, names, pending ? " [pending]" : ""
      if (met == pending) failed = 1
      checked++
    }
    END {
      if (failed) {
        print "FAILED: a gated goal is not met, or a pending one is met (promote it in goals.txt)"
        exit 1
      }
      printf "%d goals as expected\n", checked
    }' - "$root/tests/codegen/goals.txt"
  exit 0
fi

[[ $1 == --table ]] || { echo "usage: see the head of $0" >&2; exit 2; }

# target_command ARCH COMPILER ZERO_VMA: the kernel compile command the codegen tests use for
# it, with the image at VMA 0 (1) or elsewhere (0).
target_command() {
  if [[ $1 == x86_64 ]]; then
    # The host compilers, as the x86_64 codegen tests use them (x86_64-none-elf would keep the
    # frame pointer).
    local command=g++
    [[ $2 == clang ]] && command=clang++-19
    echo "$command -fno-pie -mcmodel=kernel -mno-red-zone -ffreestanding -fno-exceptions" \
         "-fno-rtti -DPERCPU_X86_LINUX_USER=0 -DPERCPU_ZERO_VMA=$3"
  else
    echo "$(cmake -DTOOLCHAIN="$1-$2" -P "$root/cmake/toolchain-command.cmake")" \
         "-ffreestanding -fno-pic -fno-exceptions -fno-rtti -nostdinc++" \
         "-DPERCPU_ZERO_VMA=$3"
  fi
}

# counts_as SUFFIX PATTERN OBJDUMP COMPILER [FLAGS...]: counts' rows of the functions whose
# name matches the regular expression PATTERN, named "<function>@SUFFIX".
counts_as() {
  local suffix=$1 pattern=$2
  shift 2
  counts "$@" | awk -v suffix="$suffix" -v pattern="$pattern" \
    '$1 ~ pattern { print $1 "@" suffix, $2, $3 }'
}

declare -A objdump_of=([x86_64]=objdump [aarch64]=aarch64-linux-gnu-objdump
  [armv7]=arm-linux-gnueabihf-objdump [riscv64]=riscv64-linux-gnu-objdump
  [loongarch64]=llvm-objdump-19)
for arch in x86_64 aarch64 armv7 riscv64 loongarch64; do
  compilers=(gcc clang)
  [[ $arch == loongarch64 ]] && compilers=(clang)
  echo "### $arch"
  echo
  for compiler in "${compilers[@]}"; do
    # shellcheck disable=SC2046  # the command is a word list
    counts "${objdump_of[$arch]}" $(target_command "$arch" "$compiler" 1) > "/tmp/peers.$$.$compiler"
    # tick() with the image elsewhere; on x86_64 also in the RIP-relative form
    # (PERCPU_X86_ADDRESSING=1), where Clang's plain accessors are __seg_gs accesses; on aarch64
    # the read-modify-writes and tick() built for Armv8.1 (LSE).
    # shellcheck disable=SC2046
    counts_as elsewhere '_tick$' "${objdump_of[$arch]}" $(target_command "$arch" "$compiler" 0) \
      >> "/tmp/peers.$$.$compiler"
    if [[ $arch == x86_64 ]]; then
      # shellcheck disable=SC2046
      counts_as rip '_tick$' "${objdump_of[$arch]}" $(target_command "$arch" "$compiler" 0) \
        -DPERCPU_X86_ADDRESSING=1 >> "/tmp/peers.$$.$compiler"
    fi
    if [[ $arch == aarch64 ]]; then
      # shellcheck disable=SC2046
      counts_as lse '_(add|inc|tick)$' "${objdump_of[$arch]}" \
        $(target_command "$arch" "$compiler" 1) -march=armv8.1-a >> "/tmp/peers.$$.$compiler"
    fi
  done
  header="| accessor |" rule="|---|"
  for compiler in "${compilers[@]}"; do
    name=GCC
    [[ $compiler == clang ]] && name=Clang
    header+=" $name: ours | $name: ours, hot | $name: Linux |"
    rule+="---:|---:|---:|"
    [[ $arch == x86_64 && $compiler == clang ]] && header+=" Clang: Linux \`__seg_gs\` |" rule+="---:|"
    header+=" $name: crate |"
    rule+="---:|"
  done
  echo "Instructions (bytes): the return is excluded from the instructions, included in the bytes."
  echo
  echo "$header"
  echo "$rule"
  ops=(read write add inc ptr tick scope_tick tick@elsewhere scope_tick@elsewhere)
  [[ $arch == x86_64 ]] && ops+=(tick@rip scope_tick@rip)
  [[ $arch == aarch64 ]] && ops+=(add@lse inc@lse tick@lse scope_tick@lse)
  for op in "${ops[@]}"; do
    label=${op/scope_tick/tick, this_cpu_scope}
    label=${label/@elsewhere/, image elsewhere}
    label=${label/@lse/, Armv8.1 (LSE)}
    line="| ${label/@rip/, image elsewhere, RIP-relative form} |"
    for compiler in "${compilers[@]}"; do
      peers=(ours ours_hot linux)
      [[ $arch == x86_64 && $compiler == clang ]] && peers+=(linux_seg)
      peers+=(crate)
      for peer in "${peers[@]}"; do
        # this_cpu_scope is ours alone.
        line+=$(awk -v name="${peer}_$op" '$1 == name { printf " %s (%s) |", $2, $3; found = 1 }
                  END { if (!found) printf " — |" }' "/tmp/peers.$$.$compiler")
      done
    done
    echo "$line"
  done
  echo
  rm -f /tmp/peers.$$.*
done
