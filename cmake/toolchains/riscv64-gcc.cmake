# SPDX-License-Identifier: MIT OR Apache-2.0
# Freestanding riscv64 with Debian's riscv64-linux-gnu GCC: no libc, no start files, no libgcc.
# lp64d rather than soft-float lp64 because Debian ships libstdc++ headers only for lp64d.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(CMAKE_CXX_COMPILER riscv64-linux-gnu-g++)
set(CMAKE_ASM_COMPILER riscv64-linux-gnu-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# medany: RAM (and so the image) sits at 0x80000000, out of reach of medlow's sign-extended lui.
# Zihintpause: PAUSE for spin loops, a FENCE hint that cores without it execute harmlessly.
set(PERCPU_TARGET_FLAGS "-march=rv64gc_zihintpause -mabi=lp64d -mcmodel=medany")
set(CMAKE_CXX_FLAGS_INIT "${PERCPU_TARGET_FLAGS}")
set(CMAKE_ASM_FLAGS_INIT "${PERCPU_TARGET_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib")
