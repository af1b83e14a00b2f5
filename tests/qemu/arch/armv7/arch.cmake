# SPDX-License-Identifier: MIT OR Apache-2.0
# armv7-a QEMU virt port (Cortex-A15, PL1); builds with armv7-gcc or armv7-clang. The virt devices
# are shared with the aarch64 port.
set(KERNEL_ARCH_SOURCES
  "${CMAKE_CURRENT_LIST_DIR}/boot.S" "${CMAKE_CURRENT_LIST_DIR}/platform.cpp"
  "${CMAKE_CURRENT_LIST_DIR}/../arm_virt/virt.cpp")
if(PERCPU_HIGHER_HALF)
  list(APPEND KERNEL_ARCH_DEFINITIONS KERNEL_VMA=0x80000000)  # kernel-higherhalf.ld's
endif()
if(PERCPU_TEST_BODY STREQUAL "user")
  list(APPEND KERNEL_ARCH_SOURCES "${CMAKE_CURRENT_LIST_DIR}/../arm_virt/user_tables.cpp")
endif()
