# SPDX-License-Identifier: MIT OR Apache-2.0
# armv7-a QEMU virt port (Cortex-A15, PL1); builds with armv7-gcc or armv7-clang. The virt devices
# are shared with the aarch64 port.
set(KERNEL_ARCH_SOURCES
  "${CMAKE_CURRENT_LIST_DIR}/boot.S" "${CMAKE_CURRENT_LIST_DIR}/platform.cpp"
  "${CMAKE_CURRENT_LIST_DIR}/../arm_virt/virt.cpp")
set(KERNEL_LINKER_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/kernel.ld")
if(PERCPU_HIGHER_HALF)
  set(KERNEL_LINKER_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/kernel-higherhalf.ld")
  list(APPEND KERNEL_ARCH_DEFINITIONS KERNEL_VMA=0x80000000)  # kernel-higherhalf.ld's
endif()
if(PERCPU_PIE)
  set(KERNEL_LINKER_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/kernel-pie.ld")
  list(APPEND KERNEL_ARCH_DEFINITIONS KERNEL_PIE_LINK=0)  # kernel-pie.ld's
endif()
