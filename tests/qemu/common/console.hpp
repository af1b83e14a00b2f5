// SPDX-License-Identifier: MIT OR Apache-2.0
// Text output for the test and example kernels, on top of platform::console_putc. Callers
// serialise lines across CPUs.
#pragma once

#include "platform.hpp"

namespace console {

inline void print(const char* text) {
  for (; *text; ++text) platform::console_putc(*text);
}

/// `power` / 10 for a power of ten, without dividing.
constexpr uint64_t tenth(uint64_t power) {
  uint64_t result = 1;
  while (result * 10 < power) result *= 10;
  return result;
}

/// Prints `value` in base 10 or 16, right-aligned in `width` columns (spaces, or zeros for hex).
/// No division: 32-bit targets would need the compiler's 64-bit division helper
/// (__aeabi_uldivmod), which a freestanding kernel does not link.
inline void print(uint64_t value, unsigned base = 10, unsigned width = 0) {
  constexpr char symbols[] = "0123456789abcdef";
  char digits[20];
  unsigned count = 0;
  if (base == 16) {
    for (int shift = 60; shift >= 0; shift -= 4) {
      const unsigned digit = static_cast<unsigned>(value >> shift) & 0xf;
      if (digit != 0 || count != 0 || shift == 0) digits[count++] = symbols[digit];
    }
  } else {
    uint64_t place = 1;  // the largest power of ten not above value (at least 1)
    while (place <= UINT64_MAX / 10 && place * 10 <= value) place *= 10;
    for (; place != 0; place = place == 1 ? 0 : tenth(place)) {
      unsigned digit = 0;
      for (; value >= place; value -= place) ++digit;
      digits[count++] = symbols[digit];
    }
  }
  for (; width > count; --width) platform::console_putc(base == 16 ? '0' : ' ');
  for (unsigned i = 0; i < count; ++i) platform::console_putc(digits[i]);
}

}  // namespace console
