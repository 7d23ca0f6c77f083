# ctest claims.doc_is_current: docs/claims.md must be exactly `rnncc claims --markdown` (run from
# the source tree), and that run must exit 0 (no row fails). Regenerate with
#   rnncc claims --markdown > docs/claims.md
execute_process(COMMAND ${RNNCC} claims --markdown WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE generated RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "rnncc claims --markdown exited ${status} (a row failed?):\n${generated}")
endif()
file(READ ${SOURCE_DIR}/docs/claims.md committed)
if(NOT generated STREQUAL committed)
  file(WRITE ${OUTPUT} "${generated}")
  message(FATAL_ERROR "docs/claims.md is not current: regenerate it with `rnncc claims --markdown > docs/claims.md` "
                      "(the new output is in ${OUTPUT}; compare with diff)")
endif()
