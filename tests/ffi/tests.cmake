# tests/ffi: libmocore loaded with dlopen and called through libffi only, driven by
# abi/mocore.manifest (no mocore header is included). Links only libffi + libdl.
pkg_check_modules(LIBFFI REQUIRED IMPORTED_TARGET libffi)
add_executable(ffi_harness ${PROJECT_SOURCE_DIR}/tests/ffi/ffi_harness.c)
target_link_libraries(ffi_harness PRIVATE PkgConfig::LIBFFI ${CMAKE_DL_LIBS})
target_compile_options(ffi_harness PRIVATE ${MOCORE_WARNINGS})
add_dependencies(ffi_harness mocore)   # loaded at run time, not linked
add_test(NAME ffi.harness
         COMMAND ffi_harness ${PROJECT_SOURCE_DIR}/abi/mocore.manifest
                 ${PROJECT_SOURCE_DIR}/abi/mocore.map ${MOCORE_TEST_SERVER_DIR})
set_tests_properties(ffi.harness PROPERTIES FIXTURES_REQUIRED server LABELS "ffi;integration"
                     ENVIRONMENT "LD_LIBRARY_PATH=$<TARGET_FILE_DIR:mocore>" TIMEOUT 300)
