# SPDX-License-Identifier: MIT OR Apache-2.0
# Installing percpu needs nothing but CMake and a compiler. With GoogleTest hidden:
# a configure that builds the tests (the default at top level) stops with a message saying how
# to do without them; with PERCPU_BUILD_TESTS=OFF the examples still build and the install works.
# cmake -DSOURCE=<percpu> -DBINARY=<scratch dir> -DGENERATOR=... -DCXX=... -P without_gtest.cmake
include(${CMAKE_CURRENT_LIST_DIR}/../expect.cmake)
file(REMOVE_RECURSE "${BINARY}")
set(no_gtest -G "${GENERATOR}" -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON)

percpu_expect(EXPECT_ERROR "PERCPU_BUILD_TESTS=OFF"
              COMMAND ${CMAKE_COMMAND} -S "${SOURCE}" -B "${BINARY}/with_tests" ${no_gtest})

function(run)
  percpu_expect(COMMAND ${ARGN})
endfunction()
run(${CMAKE_COMMAND} -S "${SOURCE}" -B "${BINARY}/without_tests" ${no_gtest}
    -DPERCPU_BUILD_TESTS=OFF)
run(${CMAKE_COMMAND} --build "${BINARY}/without_tests" --target percpu_host_demo)
run(${CMAKE_COMMAND} -E env --unset=DESTDIR
    ${CMAKE_COMMAND} --install "${BINARY}/without_tests" --prefix "${BINARY}/prefix")
if(NOT EXISTS "${BINARY}/prefix/include/percpu.hpp")
  message(FATAL_ERROR "nothing installed in ${BINARY}/prefix")
endif()

# Examples off: nothing is built but the install rules.
run(${CMAKE_COMMAND} -S "${SOURCE}" -B "${BINARY}/bare" ${no_gtest}
    -DPERCPU_BUILD_TESTS=OFF -DPERCPU_BUILD_EXAMPLES=OFF)
execute_process(COMMAND ${CMAKE_COMMAND} --build "${BINARY}/bare" --target percpu_host_demo
                RESULT_VARIABLE result OUTPUT_QUIET ERROR_QUIET)
if(result EQUAL 0)
  message(FATAL_ERROR "PERCPU_BUILD_EXAMPLES=OFF still has the examples")
endif()
run(${CMAKE_COMMAND} -E env --unset=DESTDIR
    ${CMAKE_COMMAND} --install "${BINARY}/bare" --prefix "${BINARY}/bare-prefix")
message(STATUS "installed without GoogleTest")
