# SPDX-License-Identifier: MIT OR Apache-2.0
# Freestanding aarch64 with Debian's aarch64-linux-gnu GCC: no libc, no start files, no libgcc.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_ASM_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# Armv8.0-A, the baseline. GCC 12 otherwise turns atomics into calls to libgcc's
# __aarch64_*_sync helpers (outline atomics), which a freestanding link does not have.
set(PERCPU_TARGET_FLAGS "-march=armv8-a -mno-outline-atomics")
set(CMAKE_CXX_FLAGS_INIT "${PERCPU_TARGET_FLAGS}")
set(CMAKE_ASM_FLAGS_INIT "${PERCPU_TARGET_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib")
