# SPDX-License-Identifier: MIT OR Apache-2.0
# Passes when the sources in SOURCES (a ;-list) compile but fail to link into a hosted program
# with a diagnostic matching the "// expect: REGEX" line of the first source.
# cmake -DCOMPILER=... -DROOT=<repository> -DSOURCES=... -DOUTPUT=... -P check.cmake
list(GET SOURCES 0 first)
file(STRINGS "${first}" expect_line REGEX "^// expect: ")
string(REGEX REPLACE "^// expect: " "" expected "${expect_line}")
execute_process(
  COMMAND "${COMPILER}" -std=c++20 -I "${ROOT}/include" ${SOURCES} -o "${OUTPUT}"
          "-Wl,-L,${ROOT}/linker" -Wl,--defsym=PERCPU_AREA_COUNT=4 -Wl,-T,percpu-hosted.ld
  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(result EQUAL 0)
  message(FATAL_ERROR "${SOURCES} linked, but must not")
endif()
if(output MATCHES "error:.*\\.cpp:[0-9]+:[0-9]+: error")
  message(FATAL_ERROR "${SOURCES} failed to compile, not to link:\n${output}")
endif()
if(NOT output MATCHES "${expected}")
  message(FATAL_ERROR "${SOURCES} failed without the promised diagnostic '${expected}':\n${output}")
endif()
message(STATUS "refused as promised: ${expected}")
