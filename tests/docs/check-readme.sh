#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Builds every ```cpp and ```ld snippet of a Markdown file, so the documentation cannot rot.
# usage: check-readme.sh ROOT MARKDOWN OUTPUT_DIR CXX
#
# An HTML comment on the line before a fence, `<!-- docs: MODE -->`, says how to build the snippet;
# without one, a C++ snippet with `int main(` is a host program and any other a kernel object,
# and a linker snippet with SECTIONS is a whole script and any other a fragment of one.
#   host           compiled and linked as a Linux program, with the hosted link flags of the
#                  percpu::percpu target, and run: it must exit with 0
#   kernel         compiled as a freestanding x86_64 kernel object, in both image placements
#   config-header  a PERCPU_CONFIG_HEADER: compiled into a kernel object that uses PERCPU_GUARD
#   ld-script      a whole linker script: links a small kernel of this script's own (entry.cpp),
#                  with no C library, in the placement the script asks for
#   ld-fragment    lines of a SECTIONS body, after a .text section at 2 MiB: linked the same way
set -euo pipefail
root=$1 markdown=$2 out=$3 cxx=$4
rm -rf "$out"
mkdir -p "$out"

# Snippet N goes to $out/N.<cpp|ld>; $out/list has one line "N MODE" per snippet.
awk -v out="$out" '
  function flush() { close(file) }
  capturing && /^```$/ { capturing = 0; flush(); next }
  capturing { print > file; next }
  /^```(cpp|ld)$/ {
    language = substr($0, 4); n++
    file = out "/" n "." language
    printf "" > file
    print n, (marker != "" ? marker : "auto-" language) > (out "/list")
    capturing = 1; marker = ""; next
  }
  match($0, /^<!-- docs: [a-z-]+ -->$/) { marker = substr($0, 12, length($0) - 15); next }
  { marker = "" }
' "$markdown"
[[ -s $out/list ]] || { echo "no snippets in $markdown"; exit 1; }

warnings=(-std=c++20 -Wall -Wextra -Wpedantic -Werror -I "$root/include")
kernel=(-ffreestanding -fno-exceptions -fno-rtti -nostdinc++ -fno-pie -mno-red-zone
        -DPERCPU_X86_LINUX_USER=0)
# The kernel the linker snippets link: an entry point and one per-CPU variable.
cat > "$out/entry.cpp" <<'CPP'
#include <percpu.hpp>
PERCPU_DEFINE(unsigned, docs_entry_probe, 0);
extern "C" [[noreturn]] void _start() {
  if (percpu::init_in_place()) docs_entry_probe.inc_current();
  for (;;) {
  }
}
CPP

links=()
failures=0
while read -r n mode; do
  snippet=$out/$n
  if [[ $mode == auto-cpp ]]; then
    mode=kernel
    grep -q 'int main(' "$snippet.cpp" && mode=host
  elif [[ $mode == auto-ld ]]; then
    mode=ld-fragment
    grep -q 'SECTIONS' "$snippet.ld" && mode=ld-script
  fi
  echo "== snippet $n: $mode"
  case $mode in
    host)
      if ! "$cxx" "${warnings[@]}" "$snippet.cpp" -o "$snippet" -Wl,-L,"$root/linker" \
        -Wl,--defsym=PERCPU_AREA_COUNT=4 -Wl,-T,percpu-hosted.ld; then
        failures=$((failures + 1))
      elif ! "$snippet"; then
        echo "snippet $n: the program exited with $?"
        failures=$((failures + 1))
      fi ;;
    kernel | config-header)
      if [[ $mode == config-header ]]; then
        mv "$snippet.cpp" "$snippet.hpp"
        printf '%s\n' '#include <percpu.hpp>' 'PERCPU_DEFINE(int, docs_guarded, 0);' \
          'int docs_read() { return docs_guarded.read_current(); }' > "$snippet.cpp"
        config=("-DPERCPU_CONFIG_HEADER=\"$snippet.hpp\"")
      else
        config=()
      fi
      for zero_vma in 0 1; do
        "$cxx" "${warnings[@]}" "${kernel[@]}" "${config[@]}" -O2 -DPERCPU_ZERO_VMA=$zero_vma \
          -c "$snippet.cpp" -o "$snippet-$zero_vma.o" || { failures=$((failures + 1)); break; }
      done ;;
    ld-script) links+=("$n") ;;
    ld-fragment)
      mv "$snippet.ld" "$snippet.body"
      { printf 'SECTIONS {\n  . = 0x200000;\n  .text : { *(.text*) }\n'
        cat "$snippet.body"
        printf '}\n'; } > "$snippet.ld"
      links+=("$n") ;;
    *) echo "unknown mode '$mode' (host, kernel, config-header, ld-script, ld-fragment)"
       failures=$((failures + 1)) ;;
  esac
done < "$out/list"

for zero_vma in 0 1; do
  "$cxx" "${warnings[@]}" "${kernel[@]}" -O2 -DPERCPU_ZERO_VMA=$zero_vma -c "$out/entry.cpp" \
    -o "$out/entry-$zero_vma.o"
done
for n in "${links[@]}"; do
  zero_vma=0
  grep -Eq 'PERCPU_ZERO_VMA *= *1' "$out/$n.ld" && zero_vma=1
  echo "== snippet $n: linking a kernel (PERCPU_ZERO_VMA=$zero_vma)"
  "$cxx" -nostdlib -static "$out/entry-$zero_vma.o" -o "$out/$n.elf" -Wl,-L,"$root/linker" \
    -Wl,-T,"$out/$n.ld" || failures=$((failures + 1))
done
echo "$(wc -l < "$out/list") snippets, $failures failed"
[[ $failures -eq 0 ]]
