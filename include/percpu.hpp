// SPDX-License-Identifier: MIT OR Apache-2.0
// percpu: per-CPU data for freestanding kernels, hypervisors and unikernels. The only header
// users include.
#pragma once

#include "percpu/area.hpp"
#include "percpu/backend_info.hpp"
#include "percpu/config.hpp"
#include "percpu/counter.hpp"
#include "percpu/dynamic.hpp"
#include "percpu/scope.hpp"
#include "percpu/variable.hpp"
#include "percpu/version.hpp"
