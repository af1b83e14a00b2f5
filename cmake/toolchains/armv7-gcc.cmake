# SPDX-License-Identifier: MIT OR Apache-2.0
# Freestanding armv7-a with Debian's arm-linux-gnueabihf GCC: no libc, no start files, no libgcc.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_CXX_COMPILER arm-linux-gnueabihf-g++)
set(CMAKE_ASM_COMPILER arm-linux-gnueabihf-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# Cortex-A15 (Armv7-A with the virtualization extensions), the CPU the tests run on: its hardware
# divider spares calls to libgcc's __aeabi_idiv. A32, clang's default, rather than Debian GCC's
# T32, so both compilers build the same instruction set. Soft-float ABI: the kernels never enable
# the FPU and their IRQ path saves no VFP registers, so no code may use them.
set(PERCPU_TARGET_FLAGS "-mcpu=cortex-a15 -marm -mfloat-abi=soft")
set(CMAKE_CXX_FLAGS_INIT "${PERCPU_TARGET_FLAGS}")
set(CMAKE_ASM_FLAGS_INIT "${PERCPU_TARGET_FLAGS}")
# The Linux-targeted linker would take assembly objects without a .note.GNU-stack for requests of
# an executable stack and warn; a kernel has no such thing.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib -Wl,-z,noexecstack")
