#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR Apache-2.0
# Shows the library at work: installs what it needs, builds the examples and runs them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PERCPU_BUILD_DIR:-$root/build}/demo
"$root/scripts/install-deps.sh" host
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$build" --target percpu_host_demo -j "$(nproc)" > /dev/null
echo "== Linux user space: four threads play four CPUs (GS base set with arch_prctl)"
"$build/examples/percpu_host_demo"
