# SPDX-License-Identifier: MIT OR Apache-2.0
# Freestanding x86_64 with the host's GCC: no libc, no start files, no libgcc.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_CXX_COMPILER g++)
set(CMAKE_ASM_COMPILER gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# The host compiler already targets x86_64: no flags of its own (PERCPU_TARGET_FLAGS, see
# cmake/toolchain-command.cmake).
set(PERCPU_TARGET_FLAGS "")
set(CMAKE_CXX_FLAGS_INIT "${PERCPU_TARGET_FLAGS}")
set(CMAKE_ASM_FLAGS_INIT "${PERCPU_TARGET_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib")
