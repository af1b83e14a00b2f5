# SPDX-License-Identifier: MIT OR Apache-2.0
# Freestanding x86_64 with clang 19 and ld.lld 19.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_CXX_COMPILER clang++-19)
set(CMAKE_ASM_COMPILER clang-19)
set(CMAKE_CXX_COMPILER_TARGET x86_64-none-elf)
set(CMAKE_ASM_COMPILER_TARGET x86_64-none-elf)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# -nostdlibinc: only the compiler's own freestanding headers, never the host's /usr/include.
set(PERCPU_TARGET_FLAGS "-nostdlibinc")
set(CMAKE_CXX_FLAGS_INIT "${PERCPU_TARGET_FLAGS}")
set(CMAKE_ASM_FLAGS_INIT "${PERCPU_TARGET_FLAGS}")
# For *-none-elf clang 19 links through the host's g++, which would pick whichever ld.lld is on
# PATH. The Linux driver runs its own ld.lld 19 and, with -nostdlib -static, adds no start files
# or libraries; this later --target overrides the compile target for the link step only.
# -static makes the -no-pie that GCC builds need unused, which clang would report.
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "--target=x86_64-unknown-linux-gnu -nostdlib -fuse-ld=lld -Wno-unused-command-line-argument")
