# SPDX-License-Identifier: MIT OR Apache-2.0
# aarch64 QEMU virt port, at EL1 or (-DPERCPU_EL=2) EL2; builds with aarch64-gcc or aarch64-clang.
set(KERNEL_ARCH_SOURCES
  "${CMAKE_CURRENT_LIST_DIR}/boot.S" "${CMAKE_CURRENT_LIST_DIR}/platform.cpp"
  "${CMAKE_CURRENT_LIST_DIR}/../arm_virt/virt.cpp")
# The IRQ path saves only general-purpose registers (boot.S irq_entry), so no code may use the
# SIMD/FP registers.
list(APPEND KERNEL_ARCH_COMPILE_OPTIONS $<$<COMPILE_LANGUAGE:CXX>:-mgeneral-regs-only>)
option(PERCPU_AARCH64_LSE "Build for Armv8.1 (LSE atomics); boot it with run.sh's cpu max" OFF)
if(PERCPU_AARCH64_LSE)
  list(APPEND KERNEL_ARCH_COMPILE_OPTIONS -march=armv8.1-a)  # after the toolchain's armv8-a
endif()
if(PERCPU_EL STREQUAL "2")
  list(APPEND KERNEL_ARCH_DEFINITIONS PERCPU_ARM_EL2=1)
elseif(NOT PERCPU_EL STREQUAL "1")
  message(FATAL_ERROR "PERCPU_EL must be 1 or 2, not '${PERCPU_EL}'")
endif()
# Segments on 4 KiB boundaries rather than the linkers' 64 KiB default for aarch64, so that the
# page-aligned writable sections start segments of their own (kernel.ld).
list(APPEND KERNEL_ARCH_LINK_OPTIONS -Wl,-z,max-page-size=4096)
if(PERCPU_HIGHER_HALF)
  if(NOT PERCPU_EL STREQUAL "1")
    message(FATAL_ERROR "the higher-half kernel runs at EL1 (EL2 has no TTBR1 without VHE)")
  endif()
  list(APPEND KERNEL_ARCH_DEFINITIONS KERNEL_VMA=0xffffffff00000000)  # kernel-higherhalf.ld's
endif()
