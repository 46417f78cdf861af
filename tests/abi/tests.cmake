# ABI contract tests (issue 3): symbols vs map vs headers, the abidiff baseline check, and a
# test that proves the checker fails on incompatible changes. See abi/README.md.
find_package(Python3 REQUIRED COMPONENTS Interpreter)

# Dynamic symbols of the built library == abi/mocore.map == MO_API declarations; the committed
# manifest equals a fresh one generated from the headers.
add_test(NAME abi.symbols
         COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/abi/check-symbols.py $<TARGET_FILE:mocore>)
set_tests_properties(abi.symbols PROPERTIES LABELS abi)

# The built library against the committed abidw baseline (abi/libmocore.so.1.abi): fails on
# any incompatible change, reports compatible additions.
add_test(NAME abi.check COMMAND ${PROJECT_SOURCE_DIR}/abi/check-abi.sh ${CMAKE_BINARY_DIR})
set_tests_properties(abi.check PROPERTIES LABELS abi)

# The checker can fail: three deliberately incompatible changes in a temporary copy of the
# sources must each make abi/check-abi.sh exit 8. It builds its own (-O0) copy of the shared
# library, so it is registered once, in the non-sanitizer build.
if(MOCORE_SANITIZE)
  add_test(NAME abi.checker_detects_breakage COMMAND ${CMAKE_COMMAND} -E echo
           "SKIPPED: builds its own uninstrumented copy; runs in the non-sanitizer build")
  set_tests_properties(abi.checker_detects_breakage PROPERTIES LABELS abi SKIP_REGULAR_EXPRESSION "SKIPPED")
else()
  add_test(NAME abi.checker_detects_breakage
           COMMAND ${PROJECT_SOURCE_DIR}/tests/abi/checker-detects-breakage.sh ${PROJECT_SOURCE_DIR})
  set_tests_properties(abi.checker_detects_breakage PROPERTIES LABELS abi TIMEOUT 300)
endif()

# The previous release's programs (examples/c/quickstart.c, examples/consumer/consumer.c at the
# commit of the newest node in abi/releases), built against that release's headers recovered
# from git, run unchanged against this library and the test server.
if(MOCORE_SANITIZE)
  add_test(NAME abi.previous_release COMMAND ${CMAKE_COMMAND} -E echo
           "SKIPPED: an ASan libmocore cannot be linked by the uninstrumented programs")
  set_tests_properties(abi.previous_release PROPERTIES LABELS abi SKIP_REGULAR_EXPRESSION "SKIPPED")
else()
  add_test(NAME abi.previous_release
           COMMAND ${PROJECT_SOURCE_DIR}/tests/abi/previous-release.sh ${PROJECT_SOURCE_DIR}
                   ${CMAKE_BINARY_DIR} ${MOCORE_TEST_SERVER_DIR})
  set_tests_properties(abi.previous_release PROPERTIES FIXTURES_REQUIRED server
                       LABELS "abi;integration" TIMEOUT 300 SKIP_RETURN_CODE 77
                       RESOURCE_LOCK quickstart_demo)
endif()
