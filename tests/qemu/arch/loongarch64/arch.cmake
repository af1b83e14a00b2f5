# SPDX-License-Identifier: MIT OR Apache-2.0
# loongarch64 QEMU virt port (PLV0, direct address translation); builds with loongarch64-clang.
set(KERNEL_ARCH_SOURCES "${CMAKE_CURRENT_LIST_DIR}/boot.S" "${CMAKE_CURRENT_LIST_DIR}/platform.cpp")
set(KERNEL_LINKER_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/kernel.ld")
if(PERCPU_HIGHER_HALF)
  set(KERNEL_LINKER_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/kernel-higherhalf.ld")
endif()
if(PERCPU_PIE)
  set(KERNEL_LINKER_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/kernel-pie.ld")
  list(APPEND KERNEL_ARCH_DEFINITIONS KERNEL_PIE_LINK=0x9000000000200000)  # kernel-pie.ld's
endif()
