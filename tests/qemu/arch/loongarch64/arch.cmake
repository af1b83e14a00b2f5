# SPDX-License-Identifier: MIT OR Apache-2.0
# loongarch64 QEMU virt port (PLV0, direct address translation); builds with loongarch64-clang.
set(KERNEL_ARCH_SOURCES "${CMAKE_CURRENT_LIST_DIR}/boot.S" "${CMAKE_CURRENT_LIST_DIR}/platform.cpp")
# kernel-pie.ld's link address: QEMU enters the ELF entry point unadjusted.
set(KERNEL_PIE_LINK 0x9000000000200000)
