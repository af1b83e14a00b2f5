#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# Builds the consumer against an installed percpu through pkg-config and a plain Makefile, then
# runs it. usage: run.sh PREFIX BUILD_DIR CXX EXPECTED_AREAS
set -eu
prefix=$1 build=$2 cxx=$3 areas=$4
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$build"
mkdir -p "$build"
PKG_CONFIG_PATH="$prefix/share/pkgconfig" make -C "$build" -f "$here/Makefile" \
  SOURCE="$here/../consumer/main.cpp" CXX="$cxx" EXPECTED_AREAS="$areas"
"$build/consumer"
