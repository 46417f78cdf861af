# tests/valgrind: every unit and integration program again under valgrind memcheck (uninitialised
# reads, invalid accesses, definite/indirect leaks → failure). Release build only: the sanitizer
# build already instruments the same code, and valgrind cannot run ASan binaries.
if(MOCORE_SANITIZE)
  return()
endif()
find_program(MOCORE_VALGRIND valgrind)
if(NOT MOCORE_VALGRIND)
  message(STATUS "mocore: valgrind not found, valgrind.* tests not registered")
  return()
endif()

# --max-stackframe: libmariadb runs each non-blocking call on a coroutine stack of its own, a
# 60 KB malloc'd block. When that block lies just above a thread's stack, memcheck takes the
# switch to it for a frame of under 2 MB (its default limit) and marks the thread's own
# stack above it inaccessible: invalid reads follow in the thread and in pthread_join. With
# a limit of 32 KB every coroutine switch is seen as one; a frame larger than that would be
# taken for a switch instead (writes into it reported as invalid), so no function of
# mocore's or of its tests has one (gcc -fstack-usage: the largest is under 20 KB).
set(_mocore_vg ${MOCORE_VALGRIND} -q --error-exitcode=99 --leak-check=full
    --errors-for-leak-kinds=definite,indirect --track-origins=yes --max-stackframe=32768)

foreach(src ${MOCORE_UNIT_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_test(NAME valgrind.unit.${name} COMMAND ${_mocore_vg} $<TARGET_FILE:unit_${name}>)
  set_tests_properties(valgrind.unit.${name} PROPERTIES LABELS "valgrind;unit" TIMEOUT 600
                       SKIP_RETURN_CODE 77)
endforeach()
foreach(src ${MOCORE_INTEGRATION_TESTS})
  get_filename_component(name ${src} NAME_WE)
  # test_threads runs libmariadb's non-blocking calls (coroutines on stacks of their own) on
  # several threads at once, and memcheck takes those stack switches for invalid reads; its
  # subject (races) is the ThreadSanitizer build's (scripts/test.sh tsan), and valgrind would
  # serialise the threads anyway. test_pool's storm (32 threads with a killer) likewise.
  if(name STREQUAL "test_threads" OR name STREQUAL "test_pool")
    continue()
  endif()
  add_test(NAME valgrind.integration.${name} COMMAND ${_mocore_vg} $<TARGET_FILE:integration_${name}>)
  set_tests_properties(valgrind.integration.${name} PROPERTIES FIXTURES_REQUIRED server
                       LABELS "valgrind;integration" TIMEOUT 900 SKIP_RETURN_CODE 77)
  # A program and its valgrind twin use the same tables on the same server: never at once.
  set_tests_properties(integration.${name} valgrind.integration.${name} PROPERTIES
                       RESOURCE_LOCK mocore_db_${name})
endforeach()
