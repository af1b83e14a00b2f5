# SPDX-License-Identifier: MIT OR Apache-2.0
# Freestanding loongarch64 with clang 19 and ld.lld 19 (the only toolchain here that links
# LoongArch): base LA64 without SIMD, lp64d ABI.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR loongarch64)
set(CMAKE_CXX_COMPILER clang++-19)
set(CMAKE_ASM_COMPILER clang-19)
set(CMAKE_CXX_COMPILER_TARGET loongarch64-unknown-elf)
set(CMAKE_ASM_COMPILER_TARGET loongarch64-unknown-elf)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# clang 19 defaults to la64v1.0, whose LSX vector instructions QEMU 7.2 does not implement.
# -nostdlibinc: clang would otherwise search the host's /usr/include for this target.
set(PERCPU_TARGET_FLAGS "-march=loongarch64 -nostdlibinc")
set(CMAKE_CXX_FLAGS_INIT "${PERCPU_TARGET_FLAGS}")
set(CMAKE_ASM_FLAGS_INIT "${PERCPU_TARGET_FLAGS}")
# clang 19 has no bare-metal driver for LoongArch: for *-elf it links through the host's gcc. The
# Linux driver runs ld.lld itself and, with -nostdlib -static, adds no start files or libraries;
# this later --target overrides the compile target for the link step only. -static makes the
# -no-pie that GCC builds need unused, which clang would report.
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "--target=loongarch64-unknown-linux-gnu -nostdlib -fuse-ld=lld -Wno-unused-command-line-argument")
