# VITALS_REVISION: the git commit the binary is built from ("unknown" outside git).
execute_process(
  COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  OUTPUT_VARIABLE VITALS_REVISION
  OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET
  RESULT_VARIABLE _vitals_git_result)
if(NOT _vitals_git_result EQUAL 0 OR VITALS_REVISION STREQUAL "")
  set(VITALS_REVISION "unknown")
endif()
