// SPDX-License-Identifier: MIT OR Apache-2.0
// The alignment linker/percpu.ld gives an image away from VMA 0 (_percpu_low_bits_alignment,
// passed in as PERCPU_LD_LOW_BITS_ALIGNMENT) is the one that the backends taking a variable's
// offset from the low bits of its address (aarch64, armv7) rely on and init checks.
#include <percpu.hpp>

#if defined(__aarch64__)
using low_bits_arch = percpu::detail::aarch64_arch;
#else
using low_bits_arch = percpu::detail::armv7_arch;
#endif

static_assert(low_bits_arch::offset_from_low_bits);
static_assert(low_bits_arch::image_alignment == PERCPU_LD_LOW_BITS_ALIGNMENT,
              "linker/percpu.ld and the backend disagree on the image alignment");
static_assert(low_bits_arch::max_area_stride <= PERCPU_LD_LOW_BITS_ALIGNMENT,
              "an area stride beyond the alignment would break the low-bits rule");
