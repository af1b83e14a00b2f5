// SPDX-License-Identifier: MIT OR Apache-2.0
// Translation tables for the user-mode kernels of the aarch64 and armv7 ports (the `user` test
// body): both use the Long-descriptor format (VMSAv8-64; LPAE on armv7), with the same
// descriptors and attribute bits at the same places.
#include "platform.hpp"
#include "virt.hpp"

namespace {

// The RAM (1 GiB at 0x40000000) in 2 MiB blocks, but the block holding the user page in 4 KiB
// pages, so that that page alone can be user code's. A page user code may write is never
// executable by the kernel (Arm ARM D8.4.2; armv7 with SCTLR.UWXN), so user code gets it
// read-only (AP = 11), and the kernel too; PXN keeps the kernel from running it.
constexpr uint64_t ram_base = 0x4000'0000;
constexpr uint64_t table = 3, block = 1, page = 3;            // descriptor types
constexpr uint64_t normal = (1 << 2) | (3 << 8) | (1 << 10);  // AttrIndx 1, inner shareable, AF
constexpr uint64_t user_read_only = 3 << 6, pxn = uint64_t{1} << 53;

alignas(4096) uint64_t level1[4];
alignas(4096) uint64_t level2[512];
alignas(4096) uint64_t level3[512];
bool tables_ready;

void build(const uint64_t* boot_level1, uintptr_t user_page) {
  const uint64_t user_block = (user_page - ram_base) >> 21;
  for (uint64_t i = 0; i < 512; ++i) {
    level2[i] = (ram_base + (i << 21)) | normal | block;
    const uint64_t address = ram_base + (user_block << 21) + (i << 12);
    level3[i] = address | normal | page | (address == user_page ? user_read_only | pxn : 0);
  }
  level2[user_block] = reinterpret_cast<uintptr_t>(level3) | table;
  level1[0] = boot_level1[0];  // the devices, as boot.S maps them
  level1[1] = reinterpret_cast<uintptr_t>(level2) | table;
  __atomic_store_n(&tables_ready, true, __ATOMIC_RELEASE);
}

}  // namespace

namespace virt {

uintptr_t user_translation_tables(unsigned cpu, const uint64_t* boot_level1, uintptr_t user_page) {
  if (cpu == 0) build(boot_level1, user_page);
  while (!__atomic_load_n(&tables_ready, __ATOMIC_ACQUIRE)) platform::cpu_relax();
  return reinterpret_cast<uintptr_t>(level1);
}

}  // namespace virt
