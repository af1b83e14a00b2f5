# SPDX-License-Identifier: MIT OR Apache-2.0
# The compile command of a toolchain file in cmake/toolchains: its compiler, its --target and its
# PERCPU_TARGET_FLAGS, the one definition of each target's flags. The QEMU kernels get them from
# the toolchain file itself; the cross and codegen tests and scripts/demo.sh get them from here.
#   include(): percpu_toolchain_command(<toolchain, e.g. riscv64-gcc> <output list variable>)
#   script:    cmake -DTOOLCHAIN=<toolchain> -P cmake/toolchain-command.cmake
#              prints the command on one line (compiler first).
set(PERCPU_TOOLCHAINS_DIR "${CMAKE_CURRENT_LIST_DIR}/toolchains")

function(percpu_toolchain_command toolchain output)
  set(file "${PERCPU_TOOLCHAINS_DIR}/${toolchain}.cmake")
  if(NOT EXISTS "${file}")
    message(FATAL_ERROR "percpu: no toolchain file ${file}")
  endif()
  # The toolchain file's set()s stay in this function's scope; clear what it may leave unset.
  set(CMAKE_CXX_COMPILER_TARGET "")
  unset(PERCPU_TARGET_FLAGS)
  include("${file}")
  if(NOT DEFINED PERCPU_TARGET_FLAGS)
    message(FATAL_ERROR "percpu: ${file} does not set PERCPU_TARGET_FLAGS")
  endif()
  set(command "${CMAKE_CXX_COMPILER}")
  if(CMAKE_CXX_COMPILER_TARGET)
    list(APPEND command "--target=${CMAKE_CXX_COMPILER_TARGET}")
  endif()
  separate_arguments(flags UNIX_COMMAND "${PERCPU_TARGET_FLAGS}")
  list(APPEND command ${flags})
  set(${output} "${command}" PARENT_SCOPE)
endfunction()

if(CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  if(NOT TOOLCHAIN)
    message(FATAL_ERROR "usage: cmake -DTOOLCHAIN=<toolchain> -P ${CMAKE_CURRENT_LIST_FILE}")
  endif()
  percpu_toolchain_command("${TOOLCHAIN}" command)
  execute_process(COMMAND "${CMAKE_COMMAND}" -E echo ${command})
endif()
