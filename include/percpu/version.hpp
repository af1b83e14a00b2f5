// SPDX-License-Identifier: MIT OR Apache-2.0
// The library's version, the same as the CMake package's (checked by the static.version test),
// for code that must adapt to the version it is built against.
#pragma once

/// Major version: changes that need callers to change.
#define PERCPU_VERSION_MAJOR 0
/// Minor version: additions.
#define PERCPU_VERSION_MINOR 1
/// Patch version: fixes.
#define PERCPU_VERSION_PATCH 0
