// SPDX-License-Identifier: MIT OR Apache-2.0
// The two C library functions compilers emit calls to even in freestanding code.
#include <stddef.h>

// Byte loops through volatile pointers, so the compiler cannot turn them back into calls to
// memcpy/memset (which would recurse).
extern "C" void* memcpy(void* dst, const void* src, size_t n) {
  auto* d = static_cast<volatile unsigned char*>(dst);
  auto* s = static_cast<const volatile unsigned char*>(src);
  for (size_t i = 0; i < n; ++i) d[i] = s[i];
  return dst;
}

extern "C" void* memset(void* dst, int value, size_t n) {
  auto* d = static_cast<volatile unsigned char*>(dst);
  for (size_t i = 0; i < n; ++i) d[i] = static_cast<unsigned char>(value);
  return dst;
}
