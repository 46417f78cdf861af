# tests/ctypes: the real flow from Python with ctypes only (signatures from abi/mocore.manifest).
find_package(Python3 REQUIRED COMPONENTS Interpreter)
if(MOCORE_SANITIZE)
  # An ASan/UBSan libmocore needs the sanitizer runtime loaded first in the process; the
  # python3 interpreter is not instrumented (LD_PRELOAD of libasan into CPython reports the
  # interpreter's own allocations as leaks). The ffi harness covers dlopen under ASan instead.
  add_test(NAME ctypes.flow COMMAND ${CMAKE_COMMAND} -E echo
           "SKIPPED: ctypes needs an uninstrumented libmocore (MOCORE_SANITIZE=ON); see ffi.harness")
  set_tests_properties(ctypes.flow PROPERTIES LABELS ctypes SKIP_REGULAR_EXPRESSION "SKIPPED")
else()
  add_test(NAME ctypes.flow
           COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/ctypes/test_ctypes.py
                   $<TARGET_FILE:mocore> ${MOCORE_TEST_SERVER_DIR})
  set_tests_properties(ctypes.flow PROPERTIES FIXTURES_REQUIRED server LABELS "ctypes;integration"
                       TIMEOUT 300)
endif()
