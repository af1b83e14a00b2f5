# SPDX-License-Identifier: MIT OR Apache-2.0
# Runs a compile-and-link command. Passes when it succeeds, or, with EXPECT_ERROR, when it fails
# with output matching that regular expression.
# cmake [-DEXPECT_ERROR=REGEX] -P check.cmake -- COMMAND [ARGS...]
set(command "")
set(in_command FALSE)
foreach(i RANGE ${CMAKE_ARGC})
  if(in_command)
    list(APPEND command "${CMAKE_ARGV${i}}")
  elseif("${CMAKE_ARGV${i}}" STREQUAL "--")
    set(in_command TRUE)
  endif()
endforeach()
execute_process(COMMAND ${command} RESULT_VARIABLE result OUTPUT_VARIABLE output
                ERROR_VARIABLE output)
if(DEFINED EXPECT_ERROR)
  if(result EQUAL 0)
    message(FATAL_ERROR "linked, but must fail with '${EXPECT_ERROR}'")
  endif()
  if(NOT output MATCHES "${EXPECT_ERROR}")
    message(FATAL_ERROR "failed without the promised message '${EXPECT_ERROR}':\n${output}")
  endif()
  message(STATUS "refused as promised: ${EXPECT_ERROR}")
elseif(NOT result EQUAL 0)
  message(FATAL_ERROR "failed:\n${output}")
endif()
