# SPDX-License-Identifier: MIT OR Apache-2.0
# Passes when SOURCE fails to compile with a diagnostic matching its "// expect: REGEX" line,
# compiled with the flags of its "// flags: ..." line if it has one.
# cmake -DCOMPILER=... -DINCLUDE=... -DSOURCE=... -P check.cmake
file(STRINGS "${SOURCE}" expect_line REGEX "^// expect: ")
string(REGEX REPLACE "^// expect: " "" expected "${expect_line}")
file(STRINGS "${SOURCE}" flags_line REGEX "^// flags: ")
string(REGEX REPLACE "^// flags: " "" flags "${flags_line}")
separate_arguments(flags UNIX_COMMAND "${flags}")
execute_process(
  COMMAND "${COMPILER}" -std=c++20 -fsyntax-only ${flags} -I "${INCLUDE}" "${SOURCE}"
  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(result EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled, but must not")
endif()
if(NOT output MATCHES "${expected}")
  message(FATAL_ERROR "${SOURCE} failed without the promised diagnostic '${expected}':\n${output}")
endif()
message(STATUS "rejected as promised: ${expected}")
