// SPDX-License-Identifier: MIT OR Apache-2.0
// The memory-mapped 16550-compatible UART of the riscv64 and loongarch64 virt machines.
#pragma once

#include "platform.hpp"

/// Polls until the transmit holding register is empty (LSR bit 5), then sends `c`.
inline void ns16550_putc(uintptr_t base, char c) {
  constexpr unsigned transmit = 0, line_status = 5;
  constexpr uint8_t transmit_empty = 1u << 5;
  auto reg = [base](unsigned offset) -> volatile uint8_t& {
    return *reinterpret_cast<volatile uint8_t*>(base + offset);
  };
  while (!(reg(line_status) & transmit_empty)) platform::cpu_relax();
  reg(transmit) = static_cast<uint8_t>(c);
}
