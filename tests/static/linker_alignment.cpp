// SPDX-License-Identifier: MIT OR Apache-2.0
// The alignment linker/percpu.ld gives an image away from VMA 0 (_percpu_low_bits_alignment,
// passed in as PERCPU_LD_LOW_BITS_ALIGNMENT) is the one the aarch64 backend's accesses rely on
// and init checks.
#include <percpu.hpp>

static_assert(percpu::detail::aarch64_arch::image_alignment == PERCPU_LD_LOW_BITS_ALIGNMENT,
              "linker/percpu.ld and arch/aarch64.hpp disagree on the image alignment");
static_assert(percpu::detail::aarch64_arch::max_area_stride <= PERCPU_LD_LOW_BITS_ALIGNMENT,
              "an area stride beyond the alignment would break the low-bits rule");
