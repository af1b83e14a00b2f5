// SPDX-License-Identifier: MIT OR Apache-2.0
// The two C library functions compilers emit calls to even in freestanding code.
#include <stddef.h>

// The code generator emits these calls, after link-time optimisation has dropped the definitions
// nothing in the program's IR calls: `used` keeps them (clang's LTO drops __aeabi_memcpy).
#define PERCPU_TEST_LIBCALL extern "C" [[gnu::used]]

// Byte loops through volatile pointers, so the compiler cannot turn them back into calls to
// memcpy/memset (which would recurse).
PERCPU_TEST_LIBCALL void* memcpy(void* dst, const void* src, size_t n) {
  auto* d = static_cast<volatile unsigned char*>(dst);
  auto* s = static_cast<const volatile unsigned char*>(src);
  for (size_t i = 0; i < n; ++i) d[i] = s[i];
  return dst;
}

PERCPU_TEST_LIBCALL void* memset(void* dst, int value, size_t n) {
  auto* d = static_cast<volatile unsigned char*>(dst);
  for (size_t i = 0; i < n; ++i) d[i] = static_cast<unsigned char>(value);
  return dst;
}

#if defined(__ARM_EABI__)
// The ARM run-time ABI's names for the same operations (RTABI 4.3.4), which Clang calls for
// struct copies and clears on armv7. memset's arguments come in a different order here.
PERCPU_TEST_LIBCALL void __aeabi_memcpy(void* dst, const void* src, size_t n) {
  memcpy(dst, src, n);
}
PERCPU_TEST_LIBCALL void __aeabi_memcpy4(void* dst, const void* src, size_t n) {
  memcpy(dst, src, n);
}
PERCPU_TEST_LIBCALL void __aeabi_memcpy8(void* dst, const void* src, size_t n) {
  memcpy(dst, src, n);
}
PERCPU_TEST_LIBCALL void __aeabi_memset(void* dst, size_t n, int value) { memset(dst, value, n); }
PERCPU_TEST_LIBCALL void __aeabi_memclr(void* dst, size_t n) { memset(dst, 0, n); }
PERCPU_TEST_LIBCALL void __aeabi_memclr4(void* dst, size_t n) { memset(dst, 0, n); }
PERCPU_TEST_LIBCALL void __aeabi_memclr8(void* dst, size_t n) { memset(dst, 0, n); }
#endif
