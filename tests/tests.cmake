# Test wiring. Every tests/unit/test_*.c and tests/integration/test_*.c is its own cmocka
# program and its own ctest. Unit tests link the static library (they may use internal
# functions from src/core/internal.h). Integration tests run against the real MariaDB that
# the `server` fixture starts (tests/harness/test-server.sh), or against the server named by
# MOCORE_TEST_URL when that is set.
pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)

set(MOCORE_TEST_SERVER_DIR ${CMAKE_BINARY_DIR}/test-server)

add_library(mocore_testsupport STATIC ${PROJECT_SOURCE_DIR}/tests/support/test_support.c
  ${PROJECT_SOURCE_DIR}/tests/support/nbe_proxy.c)
target_include_directories(mocore_testsupport PUBLIC ${PROJECT_SOURCE_DIR}/tests/support
  ${PROJECT_SOURCE_DIR}/src/core ${PROJECT_SOURCE_DIR}/src)
find_package(Threads REQUIRED)
target_link_libraries(mocore_testsupport PUBLIC mocore_static PkgConfig::CMOCKA Threads::Threads)
target_compile_definitions(mocore_testsupport PUBLIC
  _GNU_SOURCE MOCORE_SOURCE_DIR="${PROJECT_SOURCE_DIR}" MOCORE_TEST_SERVER_DIR="${MOCORE_TEST_SERVER_DIR}")

file(GLOB MOCORE_UNIT_TESTS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/unit/test_*.c)
file(GLOB MOCORE_INTEGRATION_TESTS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/integration/test_*.c)

# The programs that run threads (two threads on one handle, sessions in parallel, KILL QUERY
# from another thread, deadlocks between connections): labelled `threads`; the MOCORE_TSAN
# build has only these (scripts/test.sh runs them under ThreadSanitizer).
set(MOCORE_THREADED_TESTS test_errors test_connect test_kill_query test_transactions test_threads
    test_pool)
if(MOCORE_TSAN)
  foreach(_list MOCORE_UNIT_TESTS MOCORE_INTEGRATION_TESTS)
    set(_kept)
    foreach(src ${${_list}})
      get_filename_component(name ${src} NAME_WE)
      if(name IN_LIST MOCORE_THREADED_TESTS)
        list(APPEND _kept ${src})
      endif()
    endforeach()
    set(${_list} ${_kept})
  endforeach()
endif()
# test_manager_call drives mo_call (bindings/managers/call.cmake), built only with Python 3.
if(NOT MOCORE_CALL_READY)
  list(FILTER MOCORE_UNIT_TESTS EXCLUDE REGEX "test_manager_call\\.c$")
endif()
foreach(src ${MOCORE_UNIT_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(unit_${name} ${src})
  target_link_libraries(unit_${name} PRIVATE mocore_testsupport)
  target_compile_options(unit_${name} PRIVATE ${MOCORE_WARNINGS} -Wno-missing-prototypes)
  add_test(NAME unit.${name} COMMAND unit_${name})
  set_tests_properties(unit.${name} PROPERTIES LABELS unit)
  if(name IN_LIST MOCORE_THREADED_TESTS)
    set_property(TEST unit.${name} APPEND PROPERTY LABELS threads)
  endif()
endforeach()

if(TARGET unit_test_manager_call)
  target_sources(unit_test_manager_call PRIVATE $<TARGET_OBJECTS:mocore_call>)
  target_include_directories(unit_test_manager_call PRIVATE ${PROJECT_SOURCE_DIR}/bindings/managers)
  target_compile_definitions(unit_test_manager_call PRIVATE
    MOCORE_MANAGER_VECTORS_JSON="${MOCORE_MANAGER_VECTORS_JSON}")
  add_dependencies(unit_test_manager_call mocore_manager_vectors)
endif()

# The server fixture: start once before the integration tests, stop after.
add_test(NAME server.start COMMAND ${PROJECT_SOURCE_DIR}/tests/harness/test-server.sh start ${MOCORE_TEST_SERVER_DIR})
add_test(NAME server.stop COMMAND ${PROJECT_SOURCE_DIR}/tests/harness/test-server.sh stop ${MOCORE_TEST_SERVER_DIR})
set_tests_properties(server.start PROPERTIES FIXTURES_SETUP server LABELS integration)
set_tests_properties(server.stop PROPERTIES FIXTURES_CLEANUP server LABELS integration)

# The C quickstart of the README (examples/c/quickstart.c), against the fixture's server.
add_test(NAME c.quickstart COMMAND ${PROJECT_SOURCE_DIR}/tests/harness/run-example.sh
         ${MOCORE_TEST_SERVER_DIR} $<TARGET_FILE:quickstart>)
set_tests_properties(c.quickstart PROPERTIES FIXTURES_REQUIRED server LABELS "integration;examples" TIMEOUT 120
                     RESOURCE_LOCK quickstart_demo)

foreach(src ${MOCORE_INTEGRATION_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(integration_${name} ${src})
  target_link_libraries(integration_${name} PRIVATE mocore_testsupport)
  target_compile_options(integration_${name} PRIVATE ${MOCORE_WARNINGS} -Wno-missing-prototypes)
  add_test(NAME integration.${name} COMMAND integration_${name})
  set_tests_properties(integration.${name} PROPERTIES FIXTURES_REQUIRED server LABELS integration
                       TIMEOUT 600 SKIP_RETURN_CODE 77)
  if(name IN_LIST MOCORE_THREADED_TESTS)
    set_property(TEST integration.${name} APPEND PROPERTY LABELS threads)
  endif()
endforeach()

# Fork safety over TLS needs a server that offers TLS: the fork test again, against a server
# of its own started with a certificate (the shared one has none: the connect tests need that).
if(TARGET integration_test_fork)
  add_test(NAME integration.test_fork_tls
           COMMAND ${PROJECT_SOURCE_DIR}/tests/harness/with-tls-server.sh $<TARGET_FILE:integration_test_fork>)
  set_tests_properties(integration.test_fork_tls PROPERTIES LABELS integration TIMEOUT 300
                       SKIP_RETURN_CODE 77)
endif()

if(MOCORE_TSAN)
  return()   # no bindings, valgrind, ABI or fuzz replays in the ThreadSanitizer build
endif()

# Optional per-directory additions (ffi, ctypes, abi, bindings) register themselves here.
file(GLOB MOCORE_EXTRA_TEST_FILES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/*/tests.cmake)
foreach(f ${MOCORE_EXTRA_TEST_FILES})
  include(${f})
endforeach()
