# tests/install: cmake --install into a temporary prefix, then examples/consumer built against
# it with pkg-config and with find_package(mocore); both must print 42 from the test server.
if(MOCORE_SANITIZE)
  # The installed sanitizer-built library needs the ASan runtime in the consumer; the consumer
  # is a plain external project. Covered by the non-sanitizer build.
  add_test(NAME install.consumer COMMAND ${CMAKE_COMMAND} -E echo
           "SKIPPED: an ASan libmocore cannot be linked by the uninstrumented consumer")
  set_tests_properties(install.consumer PROPERTIES LABELS install SKIP_REGULAR_EXPRESSION "SKIPPED")
else()
  add_test(NAME install.consumer
           COMMAND ${PROJECT_SOURCE_DIR}/tests/install/consumer-test.sh ${CMAKE_BINARY_DIR}
                   ${PROJECT_SOURCE_DIR} ${MOCORE_TEST_SERVER_DIR})
  set_tests_properties(install.consumer PROPERTIES FIXTURES_REQUIRED server LABELS "install;integration"
                       TIMEOUT 300)
endif()
