# SPDX-License-Identifier: MIT OR Apache-2.0
# Passes when SOURCE fails to compile with a diagnostic matching its "// expect: REGEX" line.
# cmake -DCOMPILER=... -DINCLUDE=... -DSOURCE=... -P check.cmake
file(STRINGS "${SOURCE}" expect_line REGEX "^// expect: ")
string(REGEX REPLACE "^// expect: " "" expected "${expect_line}")
execute_process(
  COMMAND "${COMPILER}" -std=c++20 -fsyntax-only -I "${INCLUDE}" "${SOURCE}"
  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(result EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled, but must not")
endif()
if(NOT output MATCHES "${expected}")
  message(FATAL_ERROR "${SOURCE} failed without the promised diagnostic '${expected}':\n${output}")
endif()
message(STATUS "rejected as promised: ${expected}")
