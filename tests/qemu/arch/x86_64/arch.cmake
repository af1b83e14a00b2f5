# SPDX-License-Identifier: MIT OR Apache-2.0
# x86_64 QEMU q35 port (multiboot entry, long mode, xAPIC); builds with x86_64-gcc or x86_64-clang.
set(KERNEL_ARCH_SOURCES "${CMAKE_CURRENT_LIST_DIR}/boot.S" "${CMAKE_CURRENT_LIST_DIR}/platform.cpp")
# Interrupts arrive on the current stack, so nothing may live below RSP (no red zone), and the
# timer entry saves only general-purpose registers, so the compiler may use no others.
list(APPEND KERNEL_ARCH_COMPILE_OPTIONS -mno-red-zone -mgeneral-regs-only)
# 4 KiB segment alignment keeps the multiboot header within the file's first 8 KiB.
list(APPEND KERNEL_ARCH_LINK_OPTIONS -Wl,-z,max-page-size=4096)
if(PERCPU_HIGHER_HALF)
  # Linked in the top 2 GiB: the kernel code model, where every address is a sign-extended 32-bit
  # immediate, so that the library's %gs operands are absolute (R_X86_64_32S) with GCC and Clang.
  list(APPEND KERNEL_ARCH_COMPILE_OPTIONS $<$<COMPILE_LANGUAGE:CXX>:-mcmodel=kernel>)
endif()
# User mode: ring 3 runs in the identity-mapped RAM (boot.S PTE_USER).
if(PERCPU_TEST_BODY STREQUAL "user")
  list(APPEND KERNEL_ARCH_DEFINITIONS PERCPU_TEST_USER_MODE=1)
endif()
