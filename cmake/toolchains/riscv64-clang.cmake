# SPDX-License-Identifier: MIT OR Apache-2.0
# Freestanding riscv64 with clang 19 and ld.lld 19; same ISA, ABI and code model as riscv64-gcc.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(CMAKE_CXX_COMPILER clang++-19)
set(CMAKE_ASM_COMPILER clang-19)
set(CMAKE_CXX_COMPILER_TARGET riscv64-unknown-elf)
set(CMAKE_ASM_COMPILER_TARGET riscv64-unknown-elf)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# -nostdlibinc: only the compiler's own freestanding headers, never the host's /usr/include.
set(PERCPU_TARGET_FLAGS "-march=rv64gc_zihintpause -mabi=lp64d -mcmodel=medany -nostdlibinc")
set(CMAKE_CXX_FLAGS_INIT "${PERCPU_TARGET_FLAGS}")
set(CMAKE_ASM_FLAGS_INIT "${PERCPU_TARGET_FLAGS}")
# The bare-metal driver never links PIE, so it reports the -no-pie that GCC builds need as unused.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib -fuse-ld=lld -Wno-unused-command-line-argument")
