// SPDX-License-Identifier: MIT OR Apache-2.0
// The version macros, reached through the umbrella header, match the CMake project version that
// the test passes as EXPECTED_MAJOR, EXPECTED_MINOR and EXPECTED_PATCH.
#include <percpu.hpp>

static_assert(PERCPU_VERSION_MAJOR == EXPECTED_MAJOR, "PERCPU_VERSION_MAJOR != project version");
static_assert(PERCPU_VERSION_MINOR == EXPECTED_MINOR, "PERCPU_VERSION_MINOR != project version");
static_assert(PERCPU_VERSION_PATCH == EXPECTED_PATCH, "PERCPU_VERSION_PATCH != project version");
