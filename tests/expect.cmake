# SPDX-License-Identifier: MIT OR Apache-2.0
# Runs a command and checks its outcome: success, or, with an expected error, a failure whose
# output matches it. The compile_fail, link_fail, linker and package tests share it.
#
# As a script: cmake [-DEXPECT_ERROR=REGEX] [-DREJECT_OUTPUT=REGEX] -P expect.cmake -- COMMAND...
# From another script: include(expect.cmake), then
#   percpu_expect([EXPECT_ERROR regex] [REJECT_OUTPUT regex] COMMAND command...)
# REJECT_OUTPUT: output that means the command failed for another reason than the one promised
# (a link test that already fails to compile, say).

function(percpu_expect)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "EXPECT_ERROR;REJECT_OUTPUT" "COMMAND")
  execute_process(COMMAND ${arg_COMMAND} RESULT_VARIABLE result OUTPUT_VARIABLE output
                  ERROR_VARIABLE output)
  if(NOT DEFINED arg_EXPECT_ERROR)
    if(NOT result EQUAL 0)
      message(FATAL_ERROR "failed: ${arg_COMMAND}\n${output}")
    endif()
    return()
  endif()
  if(result EQUAL 0)
    message(FATAL_ERROR "succeeded, but must fail with '${arg_EXPECT_ERROR}': ${arg_COMMAND}")
  endif()
  if(DEFINED arg_REJECT_OUTPUT AND output MATCHES "${arg_REJECT_OUTPUT}")
    message(FATAL_ERROR "failed for another reason ('${arg_REJECT_OUTPUT}'):\n${output}")
  endif()
  if(NOT output MATCHES "${arg_EXPECT_ERROR}")
    message(FATAL_ERROR "failed without the promised message '${arg_EXPECT_ERROR}':\n${output}")
  endif()
  message(STATUS "refused as promised: ${arg_EXPECT_ERROR}")
endfunction()

if(CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  set(command "")
  set(in_command FALSE)
  foreach(i RANGE ${CMAKE_ARGC})
    if(in_command)
      list(APPEND command "${CMAKE_ARGV${i}}")
    elseif("${CMAKE_ARGV${i}}" STREQUAL "--")
      set(in_command TRUE)
    endif()
  endforeach()
  set(options "")
  foreach(option EXPECT_ERROR REJECT_OUTPUT)
    if(DEFINED ${option})
      list(APPEND options ${option} "${${option}}")
    endif()
  endforeach()
  percpu_expect(${options} COMMAND ${command})
endif()
