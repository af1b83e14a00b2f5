# SPDX-License-Identifier: MIT OR Apache-2.0
# riscv64 QEMU virt port (M-mode, -bios none); builds with riscv64-gcc or riscv64-clang.
set(KERNEL_ARCH_SOURCES "${CMAKE_CURRENT_LIST_DIR}/boot.S" "${CMAKE_CURRENT_LIST_DIR}/platform.cpp")
# gp holds the per-CPU base, so the linker must never relax accesses into gp-relative ones. The
# library's own sequences are assembled with `.option norelax`; the rest of the kernel is safe
# to relax as long as __global_pointer$ is undefined (kernel.ld does not define it). The
# PERCPU_RISCV_RELAX=ON configuration links with relaxation on to prove it; the default turns
# relaxation off everywhere, as a gp-owning kernel usually does.
option(PERCPU_RISCV_RELAX "Link the riscv64 kernel with linker relaxation enabled" OFF)
if(NOT PERCPU_RISCV_RELAX)
  list(APPEND KERNEL_ARCH_COMPILE_OPTIONS -mno-relax)
  list(APPEND KERNEL_ARCH_LINK_OPTIONS -Wl,--no-relax)
endif()
if(PERCPU_HIGHER_HALF)
  list(APPEND KERNEL_ARCH_DEFINITIONS KERNEL_VMA=0xffffffff00000000)  # kernel-higherhalf.ld's
else()
  list(APPEND KERNEL_ARCH_DEFINITIONS PERCPU_RISCV_M_MODE=1)  # the library's interrupt masking
endif()
