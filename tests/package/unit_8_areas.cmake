# SPDX-License-Identifier: MIT OR Apache-2.0
# The unit suites with PERCPU_HOSTED_AREAS=8: the tests take the area count from the API, so they
# pass with any count of 4 or more. Builds only the two suites that use the reserved areas.
# cmake -DSOURCE=<percpu> -DBINARY=<scratch dir> -DGENERATOR=... -DCXX=... -P unit_8_areas.cmake
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "failed: ${ARGN}")
  endif()
endfunction()
run(${CMAKE_COMMAND} -S "${SOURCE}" -B "${BINARY}" -G "${GENERATOR}" -DCMAKE_CXX_COMPILER=${CXX}
    -DPERCPU_HOSTED_AREAS=8 -DPERCPU_BUILD_EXAMPLES=OFF -DPERCPU_INSTALL=OFF)
run(${CMAKE_COMMAND} --build "${BINARY}" --parallel 2 --target percpu_tests percpu_hooks_tests)
run("${BINARY}/tests/percpu_tests")
run("${BINARY}/tests/percpu_hooks_tests")
