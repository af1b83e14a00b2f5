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
# Clang linked by GNU ld instead of LLD, with hot variables through R_ARM_ABS12 (which LLD 19
# cannot apply): how a Clang kernel gets the 2-instruction hot accesses (README, "Hot variables").
option(PERCPU_ARM_GNU_LD "armv7, Clang: link with GNU ld, PERCPU_ARM_ABS12=1" OFF)
if(PERCPU_ARM_GNU_LD)
  find_program(ARM_GNU_LD arm-linux-gnueabihf-ld REQUIRED)
  list(APPEND KERNEL_ARCH_DEFINITIONS PERCPU_ARM_ABS12=1)
  list(APPEND KERNEL_ARCH_LINK_OPTIONS "--ld-path=${ARM_GNU_LD}")
endif()
